import { execFile } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { PlatformArgs } from "../../components/config/schema/platform";
import { WebSocketPlatform } from "../../components/platform";
import { main } from "../../stacks/program";
import { ProgramRun, RegisteredResource, RunOptions, project, runProgram, settleProgram } from "../../tools/mockRunner";
import { KubernetesObject, kubernetesObjects } from "../../tools/kubernetesObjects";
import { applyOverrides, readStackFile, repoRoot } from "../../tools/stackConfig";
import { renderCacheEnv } from "./renderCacheSetup";
import { typescriptLoader } from "./typescriptLoader";

const exec = promisify(execFile);

/** `npm run render -- <args>` as a user runs it: its own process, from the repository root; rejects on a non-zero exit. */
export function renderCli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return exec(process.execPath, [...typescriptLoader, "tools/render.ts", ...args], { cwd: repoRoot, env });
}


const memo = new Map<string, string>();

/** Plain data only (what a stack file or JSON could hold): anything else (an Output, a provider) is not cached. */
function cacheableText(value: unknown): string | undefined {
  let plain = true;
  const text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    // The value before its toJSON: a pulumi.Output's toJSON returns the same warning text for every Output.
    const original = this[key];
    if (original !== null && typeof original === "object" && !Array.isArray(original) && Object.getPrototypeOf(original) !== Object.prototype) plain = false;
    if (v === undefined) return { "\u0000undefined": true };
    if (typeof v === "function" || typeof v === "symbol" || typeof v === "bigint") plain = false;
    return v;
  });
  return plain ? text : undefined;
}

/** A run as it would have been returned live: JSON loses nothing of it (checked by render-cache.test.ts). */
function revive(text: string): ProgramRun {
  return JSON.parse(text) as ProgramRun;
}

/**
 * Settle a program once per distinct (program, stack, config) in a jest run: the first test file to ask evaluates it,
 * every later one (in any worker) reads the result. Failing runs are never cached (their error is a live object).
 * `programId` must name what `program` does with `input` alone, so equal ids and inputs mean equal runs.
 */
export async function settleCached(programId: string, input: unknown, program: () => unknown, options: RunOptions): Promise<ProgramRun & { error?: unknown }> {
  const inputText = cacheableText({ programId, input, stack: options.stack, config: options.config });
  if (inputText === undefined) return settleProgram(program, options);
  const key = createHash("sha256").update(inputText).digest("hex");
  const dir = process.env[renderCacheEnv];
  const file = dir ? path.join(dir, `${key}.json`) : undefined;
  let text = memo.get(key);
  if (text === undefined && file !== undefined && fs.existsSync(file)) text = fs.readFileSync(file, "utf8");
  if (text !== undefined) {
    memo.set(key, text);
    return revive(text);
  }
  const run = await settleProgram(program, options);
  if (run.error !== undefined) return run;
  text = JSON.stringify(run);
  memo.set(key, text);
  if (file !== undefined) {
    // Written aside, then renamed: a reader in the other worker sees a whole file or none.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, text);
    fs.renameSync(partial, file);
  }
  return revive(text);
}

/** The stack program with this config map (as stack config), cached. */
export function settleMain(stack: string, config: Record<string, unknown>): Promise<ProgramRun & { error?: unknown }> {
  return settleCached("stacks/program main", null, main, { stack, config });
}

/** Run the stack program with a Pulumi.<stack>.yaml and `key.path=value` overrides, cached. */
export async function runStack(stack: string, overrides: string[] = []): Promise<ProgramRun> {
  const run = await settleMain(stack, applyOverrides(readStackFile(stack), overrides, project));
  if (run.error !== undefined) throw run.error;
  return run;
}

/** `new WebSocketPlatform(name, args)` alone in a program, cached when args are plain data. */
export function settlePlatform(name: string, args: PlatformArgs, stack = "test"): Promise<ProgramRun & { error?: unknown }> {
  return settleCached(`new WebSocketPlatform(${JSON.stringify(name)}, args)`, args, () => void new WebSocketPlatform(name, args), { stack, config: {} });
}

/** Like settlePlatform, failing on any error. */
export async function renderPlatformArgs(name: string, args: PlatformArgs, stack = "test"): Promise<ProgramRun> {
  const run = await settlePlatform(name, args, stack);
  if (run.error !== undefined) throw run.error;
  return run;
}

export { runProgram };

/** The Kubernetes objects of a run, found by kind and (optionally) name. */
export function objectsOf(run: ProgramRun, kind: string, name?: string): KubernetesObject[] {
  return kubernetesObjects(run.resources).filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
}

export function oneObject(run: ProgramRun, kind: string, name?: string): KubernetesObject {
  const found = objectsOf(run, kind, name);
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ""}, found ${found.length}`);
  return found[0];
}

export function resourcesOfType(run: ProgramRun, type: string): RegisteredResource[] {
  return run.resources.filter((r) => r.type === type);
}
