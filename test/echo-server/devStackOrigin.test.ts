import { KubernetesObject } from "../../tools/kubernetesObjects";
import { runStack } from "../../tools/mockRunner";
import { oneObject } from "../support/render";
import { EchoServerProcess, startEchoServer, upgradeStatus } from "./echoServerProcess";

/**
 * The dev stack as rendered (Pulumi.dev.yaml through the real program): its Deployment's container env, and the real
 * echo server started with exactly that env (ports and bind address aside), judged by a real `ws` client.
 */
let server: EchoServerProcess;
let env: Record<string, string>;

beforeAll(async () => {
  const deployment = oneObject(await runStack("dev"), "Deployment") as KubernetesObject & { spec: any };
  const container = deployment.spec.template.spec.containers[0];
  env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
  server = await startEchoServer({}, { containerEnv: env });
});

afterAll(async () => {
  await server?.stop();
});

const upgradeFrom = (origin?: string) => upgradeStatus(server.port, origin !== undefined ? { origin } : {});

test("the dev Deployment tells the server its origins: the public host's own http:// page, and native clients", () => {
  expect(env).toMatchObject({ ALLOWED_ORIGINS: "http://ws.dev.example.com", ALLOW_MISSING_ORIGIN: "true", LISTEN_BACKLOG: "511", MAX_BUFFERED_BYTES: "262144" });
});

test("a forged origin gets 403 before the upgrade; the host's own page gets 101", async () => {
  expect(await upgradeFrom("https://evil.example")).toBe(403);
  expect(await upgradeFrom("http://ws.dev.example.com.evil.example")).toBe(403);
  expect(await upgradeFrom("http://ws.dev.example.com")).toBe(101);
  // A native client (no Origin) is let in by dev's opt-out.
  expect(await upgradeFrom()).toBe(101);
});
