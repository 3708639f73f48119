import * as pulumi from "@pulumi/pulumi";
import { ClusterReference } from "../components/cluster/clusterReference";
import { WebSocketCluster } from "../components/cluster/webSocketCluster";
import { ServiceArgs } from "../components/service/serviceSettings";
import { WebSocketService } from "../components/service/webSocketService";
import { checkedInput } from "../components/config/checkedInput";
import { pinnedImage } from "../components/config/schema/app";
import { dnsLabel } from "../components/config/schema/common";
import { acmeEmail } from "../components/config/schema/tls";
import { ProgramRun, runProgram, settleProgram } from "../tools/mockRunner";
import { applyOverrides, readStackFile } from "../tools/stackConfig";

// Pulumi's wire form of a secret: what the engine encrypts in state and masks in diffs.
const secretSig = "4dabf18193072939515e22adb298388d";
const isSecretWrapper = (v: unknown) => typeof v === "object" && v !== null && secretSig in (v as object);
const unwrap = (v: any): any => (isSecretWrapper(v) ? v.value : v);

const deploymentOf = (run: ProgramRun) => run.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
const containerEnv = (run: ProgramRun): any[] => unwrap(unwrap(deploymentOf(run).inputs.spec).template.spec.containers[0].env);

function appOn(reference: ClusterReference, over: { app?: Record<string, unknown>; tls?: Record<string, unknown> }): ServiceArgs {
  return {
    cluster: reference,
    environment: "prod",
    namespace: "chat",
    ...over,
    app: { name: "chat", image: "ghcr.io/acme/chat:1.4.2", ...(over.app ?? {}) },
    ingress: { hosts: ["chat.example.com"] },
    tls: over.tls ?? { issuer: "letsencrypt", email: "ops@example.com" },
  } as ServiceArgs;
}

const program = (over: Parameters<typeof appOn>[1]) => () => {
  const cluster = new WebSocketCluster("shared", { environment: "prod" });
  new WebSocketService("chat", appOn(cluster.reference, over), { clusterPart: cluster });
};

/** An Output's settled value or its rejection, as the engine would see it when serialising the resource. */
async function settle<T>(input: pulumi.Input<T>): Promise<{ value?: T; error?: Error }> {
  const output = pulumi.output(input) as unknown as { promise(): Promise<T>; isKnown: Promise<boolean>; isSecret: Promise<boolean> };
  // Every promise of the Output settles with the value's: observe them all, as the engine does.
  const [value] = await Promise.allSettled([output.promise(), output.isKnown, output.isSecret]);
  return value.status === "fulfilled" ? { value: value.value } : { error: value.reason as Error };
}

describe("data from other stacks and resources: pulumi.Input, checked when it resolves", () => {
  const keys = { prefix: "WebSocketService args.", basePath: ["app"] };
  let logged: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    logged = [];
    spy = jest.spyOn(pulumi.log, "error").mockImplementation(async (message: string) => void logged.push(message));
  });
  afterEach(() => spy.mockRestore());

  test("an Output image that resolves to :latest fails, naming the key, the value and the rule, in one logged line", async () => {
    const { error } = await settle(checkedInput(pulumi.output("ghcr.io/acme/chat:latest"), pinnedImage, ["image"], keys));
    expect(error?.message).toContain('WebSocketService args.app.image: got an Output that resolved to "ghcr.io/acme/chat:latest"; allowed: a pinned image');
    expect(logged).toEqual([error?.message]);
  });

  test("an Output ACME email is checked when it resolves", async () => {
    const { error } = await settle(checkedInput(pulumi.output("not-an-address"), acmeEmail, ["email"], { prefix: "Tls args." }));
    expect(error?.message).toContain('Tls args.email: got an Output that resolved to "not-an-address"; allowed: an email address');
  });

  test("a secret that fails its check is never shown, and a valid one stays secret", async () => {
    const { error } = await settle(checkedInput(pulumi.secret("TOP-SECRET-NOT-AN-EMAIL"), acmeEmail, ["email"], { prefix: "Tls args." }));
    expect(error?.message).toContain("Tls args.email: got a secret value (not shown)");
    expect(`${error?.message}${logged.join("")}`).not.toContain("TOP-SECRET");
    const valid = pulumi.output(checkedInput(pulumi.secret("ops@example.com"), acmeEmail, ["email"], { prefix: "Tls args." }));
    expect(await (valid as unknown as { isSecret: Promise<boolean> }).isSecret).toBe(true);
  });

  test("plain values pass through untouched (stack config was validated with the schema)", () => {
    expect(checkedInput("ghcr.io/acme/chat:1.0.0", pinnedImage, ["image"], keys)).toBe("ghcr.io/acme/chat:1.0.0");
  });

  test("an Output image that resolves to a pinned tag reaches the container", async () => {
    const run = await runProgram(program({ app: { image: pulumi.output("ghcr.io/acme/chat:2.0.0") } }), { stack: "prod", config: {} });
    expect(unwrap(deploymentOf(run).inputs.spec).template.spec.containers[0].image).toBe("ghcr.io/acme/chat:2.0.0");
  });

  test("a pulumi.secret env value stays secret into the Deployment's inputs and appears nowhere else", async () => {
    const run = await runProgram(program({ app: { env: { API_TOKEN: pulumi.secret("s3cr3t"), MODE: "fast" } } }), { stack: "prod", config: {} });
    expect(isSecretWrapper(deploymentOf(run).inputs.spec)).toBe(true);
    expect(containerEnv(run)).toContainEqual({ name: "API_TOKEN", value: "s3cr3t" });
    const elsewhere = run.resources.filter((r) => r !== deploymentOf(run)).map((r) => JSON.stringify(r.inputs));
    expect(elsewhere.filter((text) => text.includes("s3cr3t"))).toEqual([]);
  });

  test("a namespace from another stack (an Output) holds every app object; the route, certificate and policies follow it", async () => {
    const run = await runProgram(() => {
      const cluster = new WebSocketCluster("shared", { environment: "prod" });
      new WebSocketService("chat", { ...appOn(cluster.reference, {}), namespace: pulumi.output("chat-from-stack") }, { clusterPart: cluster });
    }, { stack: "prod", config: {} });
    const appKinds = ["Deployment", "Service", "IngressRoute", "Certificate", "NetworkPolicy", "ServiceMonitor"];
    const placed = run.resources
      .filter((r) => appKinds.includes(String(r.inputs.kind)) || appKinds.some((k) => r.type.endsWith(`:${k}`)))
      .map((r) => unwrap(r.inputs.metadata)?.namespace);
    expect(placed.length).toBeGreaterThan(6);
    expect(new Set(placed)).toEqual(new Set(["chat-from-stack"]));
  });

  test("an Output namespace that is no DNS label fails when it resolves, naming the key", async () => {
    const { error } = await settle(checkedInput(pulumi.output("Bad_NS"), dnsLabel, ["namespace"], { prefix: "WebSocketService args." }));
    expect(error?.message).toContain('WebSocketService args.namespace: got an Output that resolved to "Bad_NS"; allowed: a lowercase RFC 1123 label');
  });

  test("app.envFromSecrets takes a value from an existing Secret (secretKeyRef), never the value itself", async () => {
    const run = await runProgram(program({ app: { envFromSecrets: { DB_PASSWORD: { name: "chat-db", key: "password" } } } }), { stack: "prod", config: {} });
    expect(containerEnv(run)).toContainEqual({ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "chat-db", key: "password" } } });
  });

  test("an env name in both app.env and app.envFromSecrets is refused at preview", async () => {
    const run = await settleProgram(program({ app: { env: { DB_PASSWORD: "x" }, envFromSecrets: { DB_PASSWORD: { name: "chat-db", key: "password" } } } }), { stack: "prod", config: {} });
    expect(String((run.error as Error)?.message)).toContain("WebSocketService args.app.envFromSecrets.DB_PASSWORD: got a value (not shown: it looks like a credential); allowed: a name not also in app.env (DB_PASSWORD is set there)");
  });
});

describe("a secure: stack config value stays secret", () => {
  test("app.env from `pulumi config set --secret --path app.env.TOKEN` reaches the Deployment as a secret", async () => {
    const { main } = await import("../stacks/program");
    const config = applyOverrides(readStackFile("prod"), [], "websocket-platform");
    const app = { ...(config["websocket-platform:app"] as Record<string, unknown>), env: { TOKEN: "from-secure-config" } };
    const run = await runProgram(main, { stack: "prod", config: { ...config, "websocket-platform:app": app }, secretKeys: ["websocket-platform:app"] });
    expect(isSecretWrapper(deploymentOf(run).inputs.spec)).toBe(true);
    expect(containerEnv(run)).toContainEqual({ name: "TOKEN", value: "from-secure-config" });
  });
});
