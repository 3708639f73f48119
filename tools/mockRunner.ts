import * as pulumi from "@pulumi/pulumi";
import { applyOverrides, readStackFile, secretPlaceholder, toRuntimeConfig } from "./stackConfig";

export const project = "websocket-platform";

/** One resource the program registered, with its inputs resolved as the engine would receive them. */
export interface RegisteredResource {
  /** `type::name`, unique per run. */
  key: string;
  type: string;
  name: string;
  /** Custom resource (sent to a provider) rather than a component. */
  custom: boolean;
  /** Key of the parent resource; undefined for children of the stack. */
  parent?: string;
  /** Keys of explicit `dependsOn` resources. */
  dependsOn: string[];
  /** Keys of every resource it waits for, as the engine computes them: `dependsOn` plus those behind its input Outputs. */
  dependencies: string[];
  /** Provider reference (`urn::id`) when one was passed or inherited. */
  provider?: string;
  inputs: Record<string, any>;
}

export interface ProgramRun {
  resources: RegisteredResource[];
  outputs: Record<string, unknown>;
}

export interface RunOptions {
  stack: string;
  /** Full config map (`websocket-platform:key` → value), as in a Pulumi.<stack>.yaml `config:` block. */
  config: Record<string, unknown>;
  /** Pulumi project name (default websocket-platform): other example projects run under their own. */
  project?: string;
  /** Config keys set with `pulumi config set --secret` (besides `secure:` placeholders read from stack files). */
  secretKeys?: string[];
  /** Outputs of other stacks by fully qualified name (org/project/stack), as StackReferences read them. */
  stackReferences?: Record<string, Record<string, unknown>>;
}

/** The resource type of pulumi.StackReference, whose mock state carries the referenced stack's outputs. */
const stackReferenceType = "pulumi:pulumi:StackReference";

let running = false;
/** After a run stopped on a failed input, the same failure reaching its other resources (the engine would have ended the process). */
let echoesOfFailure: ((reason: unknown) => void) | undefined;

/**
 * Run a Pulumi program under Pulumi's mock runtime and return everything it registered. The one runner used by
 * the tests, `render` and `bench`: nothing here talks to a cluster or needs the Pulumi CLI.
 */
export async function runProgram(program: () => unknown, options: RunOptions): Promise<ProgramRun> {
  const { error, ...run } = await settleProgram(program, options);
  if (error !== undefined) throw error;
  return run;
}

/** Like runProgram, but a failing program returns its error beside what it had registered by then. */
export async function settleProgram(program: () => unknown, options: RunOptions): Promise<ProgramRun & { error?: unknown }> {
  if (running) throw new Error("runProgram is not reentrant: await one run before starting the next");
  running = true;
  try {
    return await runOnce(program, options);
  } finally {
    running = false;
  }
}

async function runOnce(program: () => unknown, options: RunOptions): Promise<ProgramRun & { error?: unknown }> {
  const byKey = new Map<string, RegisteredResource>();
  const keyOf = new WeakMap<pulumi.Resource, string>();
  const entry = (type: string, name: string): RegisteredResource => {
    const key = `${type}::${name}`;
    let found = byKey.get(key);
    if (!found) {
      found = { key, type, name, custom: false, dependsOn: [], dependencies: [], inputs: {} };
      byKey.set(key, found);
    }
    return found;
  };

  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        const found = entry(args.type, args.name);
        found.custom = args.custom ?? true;
        found.inputs = args.inputs;
        if (args.provider) found.provider = args.provider;
        if (args.type === stackReferenceType) {
          const outputs = options.stackReferences?.[String(args.inputs.name)];
          if (!outputs) throw new Error(`no outputs given for StackReference ${String(args.inputs.name)}`);
          return { id: String(args.inputs.name), state: { ...args.inputs, outputs, secretOutputNames: [] } };
        }
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        return args.inputs;
      },
    },
    options.project ?? project,
    options.stack,
    false,
  );
  const secretKeys = Object.entries(options.config)
    .filter(([, v]) => v === secretPlaceholder)
    .map(([k]) => k);
  pulumi.runtime.setAllConfig(toRuntimeConfig(options.config), [...secretKeys, ...(options.secretKeys ?? [])]);

  const implicitDependencies: Promise<void>[] = [];
  let programError: unknown;
  // A resource whose inputs fail to resolve (an Output checked when it resolves) rejects outside the program's own
  // promise; Pulumi's language host reports it as the run's error, and so does this runner.
  // The engine stops a run there; the runtime never counts that registration done, so waiting for it would hang.
  let stopped: () => void = () => undefined;
  const stop = new Promise<void>((resolve) => (stopped = resolve));
  const onUnhandled = (reason: unknown) => {
    programError ??= reason;
    stopped();
  };
  process.on("unhandledRejection", onUnhandled);
  const stackOutputs = await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      const found = entry(args.type, args.name);
      keyOf.set(args.resource, found.key);
      const parent = args.opts.parent ? keyOf.get(args.opts.parent) : undefined;
      if (parent) found.parent = parent;
      // Nested lists flattened as the SDK does (runtime/dependsOn.js); Outputs and Promises are not followed.
      const list = [args.opts.dependsOn].flat(Infinity);
      found.dependsOn = list
        .map((d) => (d instanceof pulumi.Resource ? keyOf.get(d) : undefined))
        .filter((k): k is string => k !== undefined);
      const registered = found;
      implicitDependencies.push(
        Promise.all(outputsIn(args.props).map(resourcesBehind)).then((sets) => {
          const keys = sets.flatMap((set) => [...set].map((r) => keyOf.get(r))).filter((k): k is string => k !== undefined && k !== registered.key);
          registered.dependencies = [...new Set([...registered.dependsOn, ...keys])];
        }),
      );
      return undefined;
    });
    try {
      return (await program()) as Record<string, unknown>;
    } catch (error) {
      // Rethrown below, after the runtime settles: thrown from here it would also surface as an unhandled rejection.
      programError = error;
      return {};
    }
  });
  // Wait until every registration (including those waiting on other resources' outputs) has reached the mocks.
  try {
    await Promise.race([(pulumi.runtime as unknown as { disconnect(): Promise<void> }).disconnect(), stop]);
  } finally {
    // Rejections are reported a turn after they happen: let the last ones reach the handler first.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onUnhandled);
    if (echoesOfFailure) process.off("unhandledRejection", echoesOfFailure);
    echoesOfFailure = undefined;
    if (programError instanceof Error) {
      const root = programError.message.replace(/^(error serializing property "[^"]*": )+/, "");
      echoesOfFailure = (reason) => {
        // Another rejection during a later run is that run's (its own handler records it); outside any run, it is real.
        if (!(reason instanceof Error && reason.message.endsWith(root)) && !running) throw reason;
      };
      process.on("unhandledRejection", echoesOfFailure);
    }
  }
  // A failed run's outputs and the resources behind a failed input never resolve: report what was registered.
  if (programError !== undefined) return { resources: [...byKey.values()], outputs: {}, error: programError };
  await Promise.all(implicitDependencies);
  const outputs = await new Promise<Record<string, unknown>>((resolve) =>
    pulumi.output(stackOutputs ?? {}).apply((v) => resolve(v as Record<string, unknown>)),
  );
  return { resources: [...byKey.values()], outputs };
}

/** Every Output inside a value (inputs as a program passed them), not looking into resources. */
function outputsIn(value: unknown, seen = new Set<unknown>()): pulumi.Output<unknown>[] {
  if (value === null || typeof value !== "object" || seen.has(value)) return [];
  seen.add(value);
  if (pulumi.Output.isInstance(value)) return [value as pulumi.Output<unknown>];
  if (value instanceof pulumi.Resource) return [];
  return Object.values(value as Record<string, unknown>).flatMap((v) => outputsIn(v, seen));
}

/** The resources an Output came from: the SDK's own record of it (output.js `allResources`). */
function resourcesBehind(output: pulumi.Output<unknown>): Promise<Set<pulumi.Resource>> {
  const all = (output as unknown as { allResources?: () => Promise<Set<pulumi.Resource>> }).allResources;
  return all ? all.call(output) : Promise.resolve(new Set());
}

/** Run the stack program with a Pulumi.<stack>.yaml and `key.path=value` overrides. */
export async function runStack(stack: string, overrides: string[] = []): Promise<ProgramRun> {
  const config = applyOverrides(readStackFile(stack), overrides, project);
  const { main } = await import("../stacks/program");
  return runProgram(main, { stack, config });
}
