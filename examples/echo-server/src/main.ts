import { EchoServer, type Log } from "./echoServer";
import { createMetrics } from "./metrics";
import { SettingsError, readSettings } from "./settings";

const log: Log = (event, fields = {}) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);

async function main(): Promise<void> {
  const settings = readSettings(process.env);
  const server = new EchoServer(settings, createMetrics(), log);
  await server.listen();
  const shutdown = (signal: NodeJS.Signals) => {
    log("signal", { signal });
    void server.drain().then(() => process.exit(0));
  };
  // Kubernetes sends SIGTERM after the preStop wait; SIGINT is Ctrl-C in a terminal.
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((error: unknown) => {
  log("fatal", { error: error instanceof SettingsError ? error.message : String(error) });
  process.exit(1);
});
