import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import ts from "typescript";
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

// `pulumi up` in the example type-checks it with its own tsconfig (ts-node), the package's sources included.
test("the example type-checks with its own tsconfig, as installed by npm (websocket-platform linked from file:../..)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-ts-"));
  try {
    const modules = path.join(dir, "node_modules");
    fs.mkdirSync(path.join(modules, "@pulumi"), { recursive: true });
    fs.mkdirSync(path.join(modules, "@types"), { recursive: true });
    fs.symlinkSync(repoRoot, path.join(modules, "websocket-platform"));
    for (const dep of ["@pulumi/pulumi", "@pulumi/kubernetes", "@types/node"]) {
      fs.symlinkSync(path.join(repoRoot, "node_modules", dep), path.join(modules, dep));
    }
    for (const file of ["index.ts", "tsconfig.json"]) fs.copyFileSync(path.join(repoRoot, "examples/consumer-ts", file), path.join(dir, file));
    const configFile = ts.readConfigFile(path.join(dir, "tsconfig.json"), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, dir);
    const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(errors).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
