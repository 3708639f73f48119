import { ConfigError, isConfigError } from "../../components/config/configError";
import { stackConfigKeys } from "../../components/config/parse";
import { resolvePlatformConfig } from "../../components/config/resolve";
import { KubernetesObject } from "../../tools/kubernetesObjects";
import { ProgramRun } from "../../tools/mockRunner";
import * as fs from "fs";
import * as path from "path";
import { crdSchemaDir, validateObjects } from "../support/schemas";
import { objects, platformConfig, renderPlatform } from "./support";
import { gatewayAccessLabel } from "../../components/ingress/gatewayRoute";

const withoutKey = (labels: Record<string, string>, key: string) => Object.fromEntries(Object.entries(labels).filter(([k]) => k !== key));

function errorLines(over: Record<string, unknown>): string[] {
  try {
    resolvePlatformConfig(platformConfig(over), stackConfigKeys);
  } catch (error) {
    if (isConfigError(error)) return (error as ConfigError).message.split("\n").slice(1).map((l) => l.trim());
    throw error;
  }
  return [];
}

describe("bad combinations fail at preview with a clear error", () => {
  test.each<[string, Record<string, unknown>, string]>([
    [
      "an option the controller cannot do names the controllers that can",
      { ingress: { controller: "nginx-gateway-fabric", sessionAffinity: true } },
      "- websocket-platform:ingress.sessionAffinity: got true; allowed: false with nginx-gateway-fabric (Gateway API); it works with: nginx, traefik (ingress.api native), haproxy",
    ],
    [
      "per-client connection limits on HAProxy",
      { ingress: { controller: "haproxy", maxConnectionsPerClient: 10 } },
      "- websocket-platform:ingress.maxConnectionsPerClient: got 10; allowed: nothing with haproxy with ingress.api native; it works with: nginx, traefik",
    ],
    [
      "Gateway API on a controller without it",
      { ingress: { controller: "haproxy", api: "gateway" } },
      '- websocket-platform:ingress.api: got "gateway"; allowed: native for haproxy; gateway works with: traefik (ingress.api gateway), nginx-gateway-fabric',
    ],
    [
      "CORS * with credentials",
      { ingress: { cors: { allowOrigins: ["*"], allowAnyOrigin: true, allowCredentials: true } } },
      '- websocket-platform:ingress.cors.allowCredentials: got true; allowed: false when ingress.cors.allowOrigins contains "*" (list the origins instead)',
    ],
    [
      "a connect timeout above NGINX's maximum",
      { ingress: { controller: "nginx", connectTimeoutSeconds: 90 } },
      "- websocket-platform:ingress.connectTimeoutSeconds: got 90; allowed: at most 75 with nginx (NGINX's proxy_connect_timeout cannot exceed 75 s)",
    ],
    [
      "NGINX's maximum also holds for NGINX Gateway Fabric",
      { ingress: { controller: "nginx-gateway-fabric", connectTimeoutSeconds: 76 } },
      "- websocket-platform:ingress.connectTimeoutSeconds: got 76; allowed: at most 75 with nginx-gateway-fabric (NGINX's proxy_connect_timeout cannot exceed 75 s)",
    ],
    [
      "a Traefik entry-point timeout below the lifetime, set through ingress.values",
      { ingress: { controller: "traefik", values: { ports: { websecure: { transport: { respondingTimeouts: { readTimeout: "60s" } } } } } } },
      '- websocket-platform:ingress.values.ports.websecure.transport.respondingTimeouts.readTimeout: got "60s"; allowed: Traefik entry point websecure readTimeout of at least app.connectionLifetimeSeconds (3600 s), or WebSockets are cut early',
    ],
    [
      "an HAProxy tunnel timeout below the lifetime (a bare number is milliseconds)",
      { ingress: { controller: "haproxy", values: { controller: { config: { "timeout-tunnel": "3600" } } } } },
      '- websocket-platform:ingress.values.controller.config.timeout-tunnel: got "3600"; allowed: HAProxy timeout-tunnel of at least app.connectionLifetimeSeconds (3600 s), or WebSockets are cut early',
    ],
    [
      "an NGINX reload drain below the lifetime",
      { ingress: { controller: "nginx", values: { controller: { config: { "worker-shutdown-timeout": "240s" } } } } },
      '- websocket-platform:ingress.values.controller.config.worker-shutdown-timeout: got "240s"; allowed: NGINX worker-shutdown-timeout of at least app.connectionLifetimeSeconds (3600 s), or WebSockets are cut early',
    ],
    [
      "a timeout that is not a duration",
      { ingress: { controller: "haproxy", values: { controller: { config: { "timeout-tunnel": "forever" } } } } },
      '- websocket-platform:ingress.values.controller.config.timeout-tunnel: got "forever"; allowed: a duration such as 3600s (HAProxy timeout-tunnel)',
    ],
    [
      "one replica outside dev",
      { ingress: { replicas: 1 } },
      "- websocket-platform:ingress.replicas: got 1; allowed: at least 2 in prod (with a PodDisruptionBudget)",
    ],
    [
      "an existing GatewayClass without Gateway API",
      { ingress: { controller: "traefik", gatewayClassName: "shared" } },
      '- websocket-platform:ingress.gatewayClassName: got "shared"; allowed: only with ingress.api gateway (or ingress.controller nginx-gateway-fabric)',
    ],
  ])("%s", (_name, over, line) => {
    expect(errorLines(over)).toEqual([line]);
  });

  test("several problems are reported together, and a lifetime raised above a user's timeout is caught", () => {
    const lines = errorLines({
      app: { connectionLifetimeSeconds: 7200 },
      ingress: { controller: "nginx", connectTimeoutSeconds: 80, cors: { allowOrigins: ["*"], allowAnyOrigin: true, allowCredentials: true }, values: { controller: { config: { "worker-shutdown-timeout": "1h" } } } },
    });
    expect(lines.map((l) => l.split(":")[1]).sort()).toEqual(["ingress.connectTimeoutSeconds", "ingress.cors.allowCredentials", "ingress.values.controller.config.worker-shutdown-timeout"]);
  });

  test("the same options are fine where supported, and long enough user timeouts pass", () => {
    expect(errorLines({ ingress: { controller: "traefik", sessionAffinity: true, maxConnectionsPerClient: 5, connectTimeoutSeconds: 120 } })).toEqual([]);
    expect(errorLines({ ingress: { controller: "haproxy", values: { controller: { config: { "timeout-tunnel": "2h" } } } } })).toEqual([]);
    expect(errorLines({ environment: "dev", ingress: { replicas: 1 } })).toEqual([]);
    expect(errorLines({ ingress: { cors: { allowOrigins: ["*"], allowAnyOrigin: true } } })).toEqual([]);
  });
});

describe("changing ingress.controller changes only the controller part", () => {
  const choices: Record<string, unknown>[] = [
    { controller: "nginx" },
    { controller: "traefik" },
    { controller: "traefik", api: "gateway" },
    { controller: "haproxy" },
    { controller: "nginx-gateway-fabric" },
  ];
  const runs: ProgramRun[] = [];
  beforeAll(async () => {
    for (const ingress of choices) runs.push(await renderPlatform({ ingress }));
  });

  const appObjects = (run: ProgramRun): KubernetesObject[] =>
    objects(run)
      .filter((o) => o.metadata.namespace === "chat" || (o.kind === "Namespace" && o.metadata.name === "chat"))
      .filter((o) => ["Deployment", "Service", "ServiceAccount", "PodDisruptionBudget", "Namespace"].includes(o.kind))
      // A shared Gateway (NGINX Gateway Fabric) admits routes from namespaces with its label: a route fact, asserted in sharedCluster.test.ts.
      .map((o) => (o.kind === "Namespace" ? { ...o, metadata: { ...o.metadata, labels: withoutKey(o.metadata.labels ?? {}, gatewayAccessLabel) } } : o));

  test("the app's objects are identical whichever controller routes to it", () => {
    const reference = appObjects(runs[0]);
    expect(reference.map((o) => o.kind).sort()).toEqual(["Deployment", "Namespace", "PodDisruptionBudget", "Service", "ServiceAccount"]);
    for (const run of runs.slice(1)) expect(appObjects(run)).toEqual(reference);
  });

  test("what differs is the controller part: its namespace and the route objects that refer to it", () => {
    const summary = runs.map((run) => ({
      releaseNamespace: run.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release")!.inputs.namespace,
      routeKinds: objects(run)
        .filter((o) => o.metadata.labels?.["app.kubernetes.io/component"] === "route")
        .map((o) => o.kind)
        .filter((k, i, all) => all.indexOf(k) === i)
        .sort(),
    }));
    expect(summary).toEqual([
      // Ingress-style controllers solve HTTP-01 in the app's namespace: a NetworkPolicy lets them reach the solver pods.
      { releaseNamespace: "ingress-nginx", routeKinds: ["Ingress", "NetworkPolicy"] },
      { releaseNamespace: "traefik", routeKinds: ["IngressRoute", "Middleware", "NetworkPolicy", "ServersTransport"] },
      { releaseNamespace: "traefik", routeKinds: ["Gateway", "HTTPRoute", "Middleware"] },
      { releaseNamespace: "haproxy-controller", routeKinds: ["Ingress", "NetworkPolicy"] },
      // One Gateway for all apps (the cluster part's); the app adds its HTTPS listener and certificate with a ListenerSet.
      { releaseNamespace: "nginx-gateway", routeKinds: ["HTTPRoute", "ListenerSet", "NetworkPolicy", "ProxySettingsPolicy"] },
    ]);
  });

  test("every controller's objects pass the strict schemas", () => {
    expect(validateObjects(runs.flatMap((run) => objects(run)))).toEqual([]);
  });
});

describe("no deprecated fields", () => {
  interface Node {
    description?: string;
    properties?: Record<string, Node>;
    items?: Node;
  }
  /** Paths of fields whose upstream schema description starts with "Deprecated". */
  function deprecatedFields(value: unknown, schema: Node | undefined, at: string): string[] {
    if (!schema || value === null || typeof value !== "object") return [];
    if (Array.isArray(value)) return value.flatMap((v, i) => deprecatedFields(v, schema.items, `${at}[${i}]`));
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
      const child = schema.properties?.[k];
      const here = child?.description?.startsWith("Deprecated") ? [`${at}.${k}`] : [];
      return [...here, ...deprecatedFields(v, child, `${at}.${k}`)];
    });
  }

  test("no custom resource any controller renders sets a field upstream marks Deprecated", async () => {
    const runs = [
      await renderPlatform({ ingress: { controller: "traefik", sessionAffinity: true, rateLimit: { requestsPerSecond: 5 }, maxConnectionsPerClient: 3, cors: { allowOrigins: ["https://a.example.com"] } } }),
      await renderPlatform({ ingress: { controller: "traefik", api: "gateway" } }),
    ];
    const custom = runs.flatMap((run) => objects(run)).filter((o) => /traefik\.io|gateway\.networking\.k8s\.io/.test(o.apiVersion));
    expect(custom.length).toBeGreaterThan(8);
    const found = custom.flatMap((o) => {
      const [group, version] = o.apiVersion.split("/");
      const schema = JSON.parse(fs.readFileSync(path.join(crdSchemaDir, group, `${o.kind.toLowerCase()}_${version}.json`), "utf8")) as Node;
      return deprecatedFields(o, schema, `${o.kind}/${o.metadata.name}`);
    });
    expect(found).toEqual([]);
    // The check can fail: the guide's sslRedirect is marked Deprecated upstream.
    const middleware = JSON.parse(fs.readFileSync(path.join(crdSchemaDir, "traefik.io", "middleware_v1alpha1.json"), "utf8")) as Node;
    expect(deprecatedFields({ spec: { headers: { sslRedirect: true } } }, middleware, "m")).toEqual(["m.spec.headers.sslRedirect"]);
  });
});
