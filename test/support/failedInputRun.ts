// WebSocketPlatform runs whose inputs fail when they resolve, in a plain Node process: there, as under the engine's
// language host, the failure ends the run (jest would take the runtime's rejections as the test's own errors).
// Argument: JSON scenarios whose `{"$output": v}` / `{"$secret": v}` values become pulumi.output(v) / pulumi.secret(v).
import * as pulumi from "@pulumi/pulumi";
import { PlatformArgs } from "../../components/config/schema/platform";
import { WebSocketPlatform } from "../../components/platform";
import { settleProgram } from "../../tools/mockRunner";

export interface FailedInputResult {
  error?: string;
  logged: string[];
  /** `type kind` of every custom resource whose inputs reached the mocks (the engine). */
  registered: string[];
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if ("$output" in record) return pulumi.output(revive(record.$output));
  if ("$secret" in record) return pulumi.secret(revive(record.$secret));
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, revive(v)]));
}

async function main(): Promise<void> {
  const scenarios = JSON.parse(process.argv[2]) as unknown[];
  const results: FailedInputResult[] = [];
  const log = pulumi.log as { error: (message: string) => Promise<void> };
  for (const scenario of scenarios) {
    const logged: string[] = [];
    log.error = async (message: string) => void logged.push(message);
    const run = await settleProgram(() => void new WebSocketPlatform("chat", revive(scenario) as PlatformArgs), { stack: "prod", config: {} });
    results.push({
      ...(run.error !== undefined ? { error: (run.error as Error).message } : {}),
      logged,
      registered: run.resources.filter((r) => r.custom).map((r) => `${r.type} ${String(r.inputs.kind ?? "")}`.trim()),
    });
  }
  process.stdout.write(JSON.stringify(results));
  // The runtime counts a failed run's pending registrations as leaked promises and sets exit code 1 on exit; these runs were meant to fail.
  process.on("exit", () => (process.exitCode = 0));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
