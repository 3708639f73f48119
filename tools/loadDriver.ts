import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { runLoad } from "../load/driver";

/** `npx ts-node --transpile-only tools/loadDriver.ts --url wss://ws.example.com/ --connections 1000 --ramp 30 --hold 60` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      connections: { type: "string", default: "100" },
      ramp: { type: "string", default: "10" },
      hold: { type: "string", default: "30" },
      interval: { type: "string", default: "1000" },
      "connect-timeout": { type: "string", default: "10000" },
      ca: { type: "string" },
      origin: { type: "string" },
    },
  });
  if (!values.url || !/^wss?:\/\//.test(values.url)) throw new Error("--url must be a ws:// or wss:// URL (a stack's `urls` output)");
  const number = (name: string, raw: string | undefined) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number, got ${raw}`);
    return value;
  };
  const report = await runLoad({
    url: values.url,
    connections: number("connections", values.connections),
    rampSeconds: number("ramp", values.ramp),
    holdSeconds: number("hold", values.hold),
    messageIntervalMs: number("interval", values.interval),
    connectTimeoutMs: number("connect-timeout", values["connect-timeout"]),
    ...(values.ca ? { ca: readFileSync(values.ca, "utf8") } : {}),
    ...(values.origin ? { origin: values.origin } : {}),
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  // Non-zero when the target was not held, so CI and scripts can gate on it.
  process.exitCode = report.held === report.target && report.drops === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
