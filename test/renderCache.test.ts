import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import { main } from "../stacks/program";
import { settleProgram } from "../tools/mockRunner";
import { applyOverrides, readStackFile, stackNames } from "../tools/stackConfig";
import { renderPlatformArgs, runStack, settleCached } from "./support/render";
import { renderCacheEnv } from "./support/renderCacheSetup";

describe("the render cache returns what a live run returns", () => {
  test.each(stackNames())("stack %s: the cached run equals a live run, undefined inputs and all", async (stack) => {
    const cached = await runStack(stack);
    const live = await settleProgram(main, { stack, config: applyOverrides(readStackFile(stack), [], "websocket-platform") });
    expect(live.error).toBeUndefined();
    expect(cached).toStrictEqual(live);
  });

  test("each caller gets its own copy: mutating one run changes no later one", async () => {
    const first = await runStack("dev");
    first.resources.length = 0;
    (first.outputs as Record<string, unknown>).namespace = "changed";
    const second = await runStack("dev");
    expect(second.resources.length).toBeGreaterThan(0);
    expect(second.outputs.namespace).not.toBe("changed");
  });

  test("different configs are different entries; an Output-free args object is cached by its content", async () => {
    const args = { environment: "dev" as const, app: { image: "ghcr.io/acme/chat:1.4.2" }, ingress: { hosts: ["ws.example.com"] } };
    const a = await renderPlatformArgs("ws", args);
    const b = await renderPlatformArgs("ws", { ...args, namespace: "other" });
    const namespaces = (run: typeof a) => run.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => r.inputs.metadata.name);
    expect(namespaces(a)).toContain("websocket");
    expect(namespaces(a)).not.toContain("other");
    expect(namespaces(b)).toContain("other");
    expect(namespaces(b)).not.toContain("websocket");
  });

  test("args holding Outputs are never cached: two different Output host lists give their own runs", async () => {
    // JSON.stringify turns every Output into the same toJSON warning text: as a cache key, all Outputs would collide.
    const args = (host: string) => ({ environment: "dev" as const, app: { image: "ghcr.io/acme/chat:1.4.2" }, ingress: { hosts: pulumi.output([host]) } });
    const hostsOf = (run: { resources: { type: string; inputs: any }[] }) =>
      run.resources.filter((r) => r.type === "kubernetes:traefik.io/v1alpha1:IngressRoute").map((r) => JSON.stringify(r.inputs.spec.routes));
    const a = await renderPlatformArgs("ws", args("a.example.com"));
    const b = await renderPlatformArgs("ws", args("b.example.com"));
    expect(hostsOf(a).join()).toContain("a.example.com");
    expect(hostsOf(b).join()).toContain("b.example.com");
    expect(hostsOf(b).join()).not.toContain("a.example.com");
  });

  test("a failing run is not cached: its error stays a live error", async () => {
    const failing = () => {
      throw new Error("boom");
    };
    const first = await settleCached("test: always fails", null, failing, { stack: "cache-test", config: {} });
    const second = await settleCached("test: always fails", null, failing, { stack: "cache-test", config: {} });
    expect(first.error).toBeInstanceOf(Error);
    expect(second.error).toBeInstanceOf(Error);
    expect(second.error).not.toBe(first.error);
  });

  test("under jest the cache lives in this run's own directory", () => {
    const dir = process.env[renderCacheEnv];
    expect(dir).toBeDefined();
    expect(fs.statSync(dir!).isDirectory()).toBe(true);
  });
});
