import * as path from "path";
import { ProgramRun, runProgram } from "../../tools/mockRunner";
import { repoRoot } from "../../tools/stackConfig";

let run: ProgramRun;
beforeAll(async () => {
  // The example imports the package by name; in this repository the name is components/ (tsconfig paths does the same for tsc).
  jest.doMock("websocket-platform", () => jest.requireActual("../../components"), { virtual: true });
  run = await runProgram(() => require(path.join(repoRoot, "examples/consumer-ts/index.ts")), { stack: "staging", config: {} });
});

test("creates the platform through the package entry point", () => {
  expect(run.resources.filter((r) => r.type === "websocket-platform:index:WebSocketPlatform").map((r) => r.name)).toEqual(["chat"]);
  const deployment = run.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
  expect(deployment.inputs.metadata).toMatchObject({ name: "chat", namespace: "chat" });
  expect(deployment.inputs.spec.replicas).toBe(2);
});

test("its own provider reaches every Kubernetes object the platform creates", () => {
  const objects = run.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
  expect(objects.length).toBeGreaterThanOrEqual(5);
  // A provider reference is `<provider URN>::<id>`; the URN ends in `pulumi:providers:kubernetes::<name>`.
  const providers = new Set(objects.map((r) => /pulumi:providers:kubernetes::([^:]+)::/.exec(r.provider ?? "")?.[1]));
  expect([...providers]).toEqual(["chat-cluster"]);
});
