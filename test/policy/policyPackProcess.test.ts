import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { readStackFile, repoRoot, toRuntimeConfig } from "../../tools/stackConfig";
import { goodStack, withChange } from "./fixtures";
import { Fixture, urnOf } from "./harness";

// The gRPC types the Pulumi engine speaks to an analyzer plugin (@pulumi/pulumi's generated protobuf code).
const { AnalyzerClient } = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { AnalyzeStackRequest, AnalyzerResource, AnalyzerResourceOptions, EnforcementLevel } = require("@pulumi/pulumi/proto/analyzer_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

const policyDir = path.join(repoRoot, "policy");
let pack: ChildProcess;
let client: any;

const call = <T>(method: string, request: unknown): Promise<T> =>
  new Promise((resolve, reject) => client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))));

beforeAll(async () => {
  // As the CLI starts `pulumi preview --policy-pack policy`: @pulumi/pulumi's run-policy-pack in the pack's directory,
  // the stack's config in PULUMI_CONFIG, TypeScript type-checked by ts-node. Dependencies resolve from the root install.
  pack = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", policyDir], {
    cwd: policyDir,
    env: { ...process.env, PULUMI_CONFIG: JSON.stringify(toRuntimeConfig(readStackFile("staging"))), PULUMI_NODEJS_STACK: "staging" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  pack.stderr!.on("data", (d) => (stderr += d));
  const port = await new Promise<number>((resolve, reject) => {
    pack.stdout!.once("data", (d) => resolve(Number(String(d).trim())));
    pack.once("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr}`)));
  });
  client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(() => {
  client?.close();
  pack?.kill();
});

test("the pack serves every policy with its enforcement level", async () => {
  const info = await call<any>("getAnalyzerInfo", new Empty());
  expect(info.getName()).toBe("websocket-platform");
  const levels = Object.fromEntries(info.getPoliciesList().map((p: any) => [p.getName(), p.getEnforcementlevel()]));
  expect(Object.keys(levels)).toHaveLength(11);
  expect(levels["websocket-route-timeouts"]).toBe(EnforcementLevel.MANDATORY);
  expect(levels["websocket-disruption-budget"]).toBe(EnforcementLevel.ADVISORY);
});

async function analyzeStack(fixtures: Fixture[]): Promise<{ policy: string; message: string }[]> {
  const request = new AnalyzeStackRequest();
  for (const f of fixtures) {
    const r = new AnalyzerResource();
    r.setType(f.type);
    r.setName(f.name);
    r.setUrn(urnOf(f));
    r.setProperties(Struct.fromJavaScript(f.props));
    r.setOptions(new AnalyzerResourceOptions());
    request.addResources(r);
  }
  const response = await call<any>("analyzeStack", request);
  return response.getDiagnosticsList().map((d: any) => ({ policy: d.getPolicyname(), message: d.getMessage() }));
}

test("a clean stack passes; the environment comes from the stack's own config (staging requires TLS)", async () => {
  expect(await analyzeStack(goodStack())).toEqual([]);
  const plain = await analyzeStack(withChange({ name: "ingress", edit: (p) => delete p.spec.tls }));
  expect(plain).toEqual([{ policy: "tls-outside-dev", message: expect.stringContaining("(environment staging requires TLS.)") }]);
});
