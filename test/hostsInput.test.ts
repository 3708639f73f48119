import * as pulumi from "@pulumi/pulumi";
import { PlatformArgs } from "../components/config/schema/platform";
import { resolvePlatformConfig } from "../components/config/resolve";
import { WebSocketPlatform } from "../components/platform";
import { kubernetesObjects } from "../tools/kubernetesObjects";
import { validateObjects } from "./support/schemas";
import { ProgramRun, settleProgram } from "../tools/mockRunner";
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { FailedInputResult } from "./support/failedInputRun";
import { typescriptLoader } from "./support/typescriptLoader";
import { settlePlatform } from "./support/render";

// ingress.hosts from a DNS stack or a resource: the same objects as plain hosts once they resolve, and the same
// preview checks, run when they resolve.

const hosts = ["ws.example.com", "chat.example.org"];
const argsKeys = { prefix: "WebSocketPlatform args." };

function platformArgs(ingress: Record<string, unknown>, over: Partial<PlatformArgs> = {}): PlatformArgs {
  return {
    environment: "prod",
    namespace: "chat",
    app: { name: "chat", image: "ghcr.io/acme/chat:1.4.2" },
    tls: { email: "ops@example.org" },
    ...over,
    ingress: { hosts, ...ingress } as PlatformArgs["ingress"],
  };
}

const render = (args: PlatformArgs): Promise<ProgramRun & { error?: unknown }> => settlePlatform("chat", args, "prod");

const routes: [string, Record<string, unknown>, Partial<PlatformArgs>][] = [
  ["nginx (Ingress)", { controller: "nginx" }, {}],
  ["haproxy (Ingress)", { controller: "haproxy" }, {}],
  ["traefik (IngressRoute)", { controller: "traefik" }, {}],
  ["traefik (Gateway API, a Gateway per app)", { controller: "traefik", api: "gateway" }, {}],
  ["nginx-gateway-fabric (shared Gateway + ListenerSet)", { controller: "nginx-gateway-fabric" }, {}],
  ["istio (Gateway + VirtualService)", { controller: "istio" }, {}],
  ["traefik without TLS (ws://, http:// origins)", { controller: "traefik" }, { tls: { enabled: false, allowPlaintextOutsideDev: true } }],
];

describe("ingress.hosts as pulumi.Input: once resolved, the objects of plain hosts", () => {
  test.each(routes)("%s: the whole list as an Output renders exactly what plain hosts render", async (_, ingress, over) => {
    const plain = await render(platformArgs(ingress, over));
    expect(plain.error).toBeUndefined();
    const expected = kubernetesObjects(plain.resources);
    expect(validateObjects(expected)).toEqual([]);
    // Host names appear in the route, the certificate, the app's allowed origins and the smoke test.
    const text = JSON.stringify(expected);
    expect(text).toContain(`${over.tls?.enabled === false ? "http" : "https"}://chat.example.org`);
    const run = await render(platformArgs({ ...ingress, hosts: pulumi.output(hosts) }, over));
    expect(run.error).toBeUndefined();
    expect(kubernetesObjects(run.resources)).toEqual(expected);
  });

  test("one host of a plain list as an Output: the same objects too (NGINX Gateway Fabric, where hosts reach the most objects)", async () => {
    const ingress = { controller: "nginx-gateway-fabric" };
    const expected = kubernetesObjects((await render(platformArgs(ingress))).resources);
    const run = await render(platformArgs({ ...ingress, hosts: [hosts[0], pulumi.output(hosts[1])] }));
    expect(run.error).toBeUndefined();
    expect(kubernetesObjects(run.resources)).toEqual(expected);
  });

  test.each(["haproxy", "nginx", "nginx-gateway-fabric"])("%s: the preview warnings are those of plain hosts (the derived origins always name one)", (controller) => {
    const warnings = (given: unknown) => resolvePlatformConfig(platformArgs({ controller, hosts: given, allowMissingOrigin: true }), argsKeys).warnings;
    const plain = warnings(hosts);
    expect(plain.some((w) => /allowedOrigins|allowMissingOrigin/.test(w))).toBe(true);
    expect(warnings(pulumi.output(hosts))).toEqual(plain);
  });

  test("the stack outputs (urls) follow the resolved hosts", async () => {
    let urls: pulumi.Output<string[]> | undefined;
    const run = await settleProgram(() => {
      urls = new WebSocketPlatform("chat", platformArgs({ controller: "traefik", hosts: pulumi.output(hosts) })).urls;
      return { urls };
    }, { stack: "prod", config: {} });
    expect(run.error).toBeUndefined();
    expect(run.outputs.urls).toEqual(["wss://ws.example.com/", "wss://chat.example.org/"]);
  });
});

describe("ingress.hosts as pulumi.Input: the preview checks run when they resolve", () => {
  const many = Array.from({ length: 17 }, (_, i) => `h${i}.example.com`);
  const cases: [string, Record<string, unknown>, Partial<PlatformArgs>, string][] = [
    [
      "a name that is no DNS name",
      { controller: "traefik", hosts: { $output: ["Bad_Host.example.com"] } },
      {},
      'WebSocketPlatform args.ingress.hosts[0]: got an Output that resolved to "Bad_Host.example.com"; allowed: a lowercase DNS name',
    ],
    ["an empty list", { controller: "traefik", hosts: { $output: [] } }, {}, "WebSocketPlatform args.ingress.hosts: got an Output that resolved to []"],
    [
      "one host of the list, an Output, that is no DNS name",
      { controller: "nginx", hosts: ["ws.example.com", { $output: "-bad.example.com" }] },
      {},
      'WebSocketPlatform args.ingress.hosts[1]: got an Output that resolved to "-bad.example.com"',
    ],
    [
      "a wildcard with HTTP-01 (Let's Encrypt issues wildcards over DNS-01 only)",
      { controller: "traefik", hosts: { $output: ["*.example.com"] }, allowedOrigins: ["https://app.example.com"] },
      {},
      'WebSocketPlatform args.tls.solver: got "http01"; allowed: "dns01": HTTP-01 cannot issue wildcard certificates (*.example.com)',
    ],
    [
      "more hosts than one HTTPRoute takes",
      { controller: "nginx-gateway-fabric", hosts: { $output: many } },
      {},
      "WebSocketPlatform args.ingress.hosts: got an Output that resolved to",
    ],
    [
      "only wildcard hosts and no origins listed",
      { controller: "traefik", hosts: { $output: ["*.example.com"] } },
      { tls: { enabled: false, allowPlaintextOutsideDev: true } },
      "WebSocketPlatform args.ingress.allowedOrigins: got nothing (the key is missing); allowed: the exact origins of the pages that open the socket",
    ],
    [
      "a secret host list that fails (never shown)",
      { controller: "traefik", hosts: { $secret: ["TOP_SECRET.example.com"] } },
      {},
      "WebSocketPlatform args.ingress.hosts[0]: got a secret value (not shown)",
    ],
    [
      "a secret wildcard list with HTTP-01: the rule's own text would quote it, so it is not shown either",
      { controller: "traefik", hosts: { $secret: ["*.secret-corp.example"] }, allowedOrigins: ["https://app.example.com"] },
      {},
      "WebSocketPlatform args.tls.solver: got a secret value (not shown); allowed: a value that passes this check (not shown",
    ],
  ];
  let results: FailedInputResult[];
  beforeAll(async () => {
    const script = path.join(__dirname, "support", "failedInputRun.ts");
    const scenarios = cases.map(([, ingress, over]) => platformArgs(ingress, over));
    const { stdout } = await promisify(execFile)(process.execPath, [...typescriptLoader, script, JSON.stringify(scenarios)], {
      cwd: path.join(__dirname, ".."),
      maxBuffer: 16 * 1024 * 1024,
    });
    results = JSON.parse(stdout) as FailedInputResult[];
  });

  test.each(cases.map(([name, , , expected], index) => [name, index, expected] as const))("%s fails the run, naming the key", (_, index, expected) => {
    const { error, logged, registered } = results[index];
    // One clean line logged for the user, which the run's error carries; no stack trace.
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(expected);
    expect(logged[0]).not.toMatch(/\n\s+at /);
    expect(error).toContain(logged[0]);
    // Nothing that carries the hosts reached the engine.
    expect(registered.filter((r) => /Ingress|HTTPRoute|ListenerSet|Certificate|VirtualService/.test(r))).toEqual([]);
  });

  test("the 17-host message says why, and a secret's value appears nowhere", () => {
    expect(results[4].logged[0]).toContain("at most 16 host names with Gateway API (HTTPRoute spec.hostnames maxItems)");
    expect(JSON.stringify(results[6])).not.toContain("TOP_SECRET");
    expect(JSON.stringify(results[7])).not.toContain("secret-corp");
  });
});

describe("ingress.hosts: a valid secret list stays secret; plain hosts are checked at preview", () => {
  test("a secret host list reaches the route as a secret", async () => {
    const run = await render(platformArgs({ controller: "nginx", hosts: pulumi.secret(["hidden.example.com"]) }));
    expect(run.error).toBeUndefined();
    const ingressObject = run.resources.find((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress")!;
    expect(JSON.stringify(ingressObject.inputs.spec)).toContain("4dabf18193072939515e22adb298388d");
    expect(JSON.stringify(ingressObject.inputs.spec)).toContain("hidden.example.com");
  });

  test("plain hosts are still refused at preview, before anything is registered", async () => {
    const run = await render(platformArgs({ controller: "traefik", hosts: ["Bad_Host.example.com"] }));
    expect((run.error as Error).message).toContain('WebSocketPlatform args.ingress.hosts[0]: got "Bad_Host.example.com"');
    expect(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
  });
});
