import { settledHosts } from "../components/config/knownHosts";
import { isConfigError } from "../components/config/configError";
import { stackConfigKeys } from "../components/config/parse";
import { resolvePlatformConfig } from "../components/config/resolve";
import { PlatformArgs } from "../components/config/schema/platform";
import { gatewaySpec, istioController, webSocketRetryOn } from "../components/ingress/istio";
import { ServiceMeshPolicies } from "../components/mesh/meshPolicies";
import { WebSocketPlatform } from "../components/platform";
import { kubernetesObjects } from "../tools/kubernetesObjects";
import { ProgramRun, runProgram } from "../tools/mockRunner";
import { objectsOf, oneObject, renderPlatformArgs } from "./support/render";
import { validateObjects } from "./support/schemas";
import { nonIstioController } from "./support/nonIstioController";
import { appControllerInstall } from "./support/controllerInstall";

const base: PlatformArgs = {
  environment: "prod",
  namespace: "rt",
  app: { name: "chat", image: "ghcr.io/acme/chat:1.4.2" },
  ingress: { controller: "istio", hosts: ["ws.example.com"] },
  tls: { email: "ops@example.org" },
};

const settingsOf = (args: PlatformArgs) => settledHosts(resolvePlatformConfig(args, stackConfigKeys).settings)!;

const render = (args: PlatformArgs): Promise<ProgramRun> => renderPlatformArgs("ws", args);

const podTemplate = (run: ProgramRun) => (oneObject(run, "Deployment").spec as any).template;
const namespaceLabels = (run: ProgramRun) => oneObject(run, "Namespace", "rt").metadata.labels!;
const spec = (run: ProgramRun, kind: string, name?: string) => oneObject(run, kind, name).spec as any;

function problemsOf(args: unknown): { key: string; given: string; allowed: string }[] {
  try {
    resolvePlatformConfig(args, stackConfigKeys);
  } catch (error) {
    if (isConfigError(error)) return error.problems;
    throw error;
  }
  return [];
}

describe("Istio mesh", () => {
  test("sidecar mode: the namespace is labelled for injection, pods get a native sidecar with configured resources", async () => {
    const run = await render({ ...base, mesh: { provider: "istio", istio: { proxyResources: { cpuRequest: "100m", memoryLimit: "256Mi" } } } });
    expect(namespaceLabels(run)).toMatchObject({ "istio-injection": "enabled", "pod-security.kubernetes.io/enforce": "restricted" });
    expect(namespaceLabels(run)["istio.io/dataplane-mode"]).toBeUndefined();
    expect(podTemplate(run).metadata.annotations).toEqual({
      "sidecar.istio.io/nativeSidecar": "true",
      "sidecar.istio.io/proxyCPU": "100m",
      "sidecar.istio.io/proxyMemoryLimit": "256Mi",
    });
  });

  test("a revision enrols by istio.io/rev instead of istio-injection", async () => {
    const run = await render({ ...base, mesh: { provider: "istio", istio: { revision: "canary-1-30" } } });
    expect(namespaceLabels(run)["istio.io/rev"]).toBe("canary-1-30");
    expect(namespaceLabels(run)["istio-injection"]).toBeUndefined();
  });

  test("ambient mode: istio.io/dataplane-mode ambient on the namespace, nothing on the pods", async () => {
    const run = await render({ ...base, mesh: { provider: "istio", istio: { mode: "ambient" } } });
    expect(namespaceLabels(run)["istio.io/dataplane-mode"]).toBe("ambient");
    expect(namespaceLabels(run)["istio-injection"]).toBeUndefined();
    expect(podTemplate(run).metadata.annotations ?? {}).toEqual({});
  });

  test("PeerAuthentication STRICT for the namespace; the app keeps STRICT except its metrics port for an unmeshed Prometheus", async () => {
    const run = await render({ ...base, app: { ...base.app, metricsPort: 9464 }, mesh: { provider: "istio" } });
    expect(spec(run, "PeerAuthentication", "default")).toEqual({ mtls: { mode: "STRICT" } });
    expect(oneObject(run, "PeerAuthentication", "default").metadata.namespace).toBe("rt");
    const app = spec(run, "PeerAuthentication", "chat-mtls");
    expect(app.mtls).toEqual({ mode: "STRICT" });
    expect(app.portLevelMtls).toEqual({ "9464": { mode: "PERMISSIVE" } });
    expect(app.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "chat", "app.kubernetes.io/instance": "ws-chat" });
  });

  test("AuthorizationPolicy: only the gateway's and configured clients' service accounts on the WebSocket port; metrics stay scrapable", async () => {
    const run = await render({ ...base, mesh: { provider: "istio", clients: [{ namespace: "bots", serviceAccount: "ticker" }] } });
    const authz = oneObject(run, "AuthorizationPolicy", "chat-websocket");
    expect(authz.apiVersion).toBe("security.istio.io/v1");
    expect(authz.spec).toEqual({
      selector: { matchLabels: { "app.kubernetes.io/name": "chat", "app.kubernetes.io/instance": "ws-chat" } },
      action: "ALLOW",
      rules: [
        { from: [{ source: { serviceAccounts: ["istio-ingress/istio-ingressgateway", "bots/ticker"] } }], to: [{ operation: { ports: ["8080"] } }] },
        { to: [{ operation: { ports: ["9090"] } }] },
      ],
    });
    const withoutMesh = resolvePlatformConfig({ ...base, mesh: { clients: [{ namespace: "bots", serviceAccount: "ticker" }] } }, stackConfigKeys);
    expect(withoutMesh.warnings).toEqual([expect.stringContaining("mesh.clients is ignored with mesh.provider none")]);
  });

  test("AuthorizationPolicy without a controller or clients: still there, admitting the metrics port only (no policy would admit every workload)", async () => {
    const run = await runProgram(
      () => {
        const settings = resolvePlatformConfig({ ...base, ingress: { controller: "nginx", hosts: ["ws.example.com"] }, mesh: { provider: "istio" } }, stackConfigKeys).settings;
        new ServiceMeshPolicies("mesh", { settings, namespace: "rt", serviceName: "ws-chat", podSelector: { app: "chat" } });
      },
      { stack: "test", config: {} },
    );
    const authz = oneObject(run, "AuthorizationPolicy", "chat-websocket");
    expect(authz.spec).toEqual({ selector: { matchLabels: { app: "chat" } }, action: "ALLOW", rules: [{ to: [{ operation: { ports: ["9090"] } }] }] });
    expect(validateObjects([authz])).toEqual([]);
  });

  test("Service ports declare appProtocol (kubernetes.io/ws is HTTP to Istio)", async () => {
    const ports = spec(await render({ ...base, mesh: { provider: "istio" } }), "Service").ports;
    expect(ports.map((p: any) => [p.name, p.appProtocol])).toEqual([
      ["websocket", "kubernetes.io/ws"],
      ["metrics", "http"],
    ]);
  });
});

describe("Istio ingress gateway and traffic policy", () => {
  test("the gateway is a pinned Helm release with fixed replicas, restricted pods and the controller drain (ingress.drainSeconds)", async () => {
    const run = await render({ ...base, ingress: { ...base.ingress, drainSeconds: 60 } });
    const release = run.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release")!.inputs;
    expect(release).toMatchObject({ name: "istio-ingressgateway", chart: "gateway", version: "1.30.3", namespace: "istio-ingress" });
    expect(release.repositoryOpts.repo).toBe("https://istio-release.storage.googleapis.com/charts");
    expect(release.values.autoscaling).toEqual({ enabled: false });
    expect(release.values.replicaCount).toBe(2);
    expect(release.values.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
    expect(JSON.parse(release.values.podAnnotations["proxy.istio.io/config"])).toEqual({ terminationDrainDuration: "60s" });
    expect(release.values.terminationGracePeriodSeconds).toBeGreaterThan(60);
    expect(oneObject(run, "Namespace", "istio-ingress").metadata.labels!["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  test("VirtualService: no route timeout, retries only for connections that never reached a pod, no websocketUpgrade field", async () => {
    const run = await render(base);
    const vs = spec(run, "VirtualService");
    const route = vs.http[0];
    expect(route.timeout).toBeUndefined();
    expect(route.websocketUpgrade).toBeUndefined();
    expect(route.retries).toEqual({ attempts: 2, retryOn: webSocketRetryOn });
    expect(webSocketRetryOn.split(",").some((c) => /^(5xx|reset|retriable|gateway-error)/.test(c))).toBe(false);
    expect(vs.gateways).toEqual(["istio-ingress/chat-gateway"]);
    expect(route.route).toEqual([{ destination: { host: oneObject(run, "Service").metadata.name, port: { number: 8080 } } }]);
    const none = spec(await render({ ...base, mesh: { istio: { retryAttempts: 0 } } }), "VirtualService");
    expect(none.http[0].retries).toEqual({ attempts: 0 });
  });

  test("DestinationRule: LEAST_REQUEST by default, idle timeouts at least the connection lifetime, no HTTP/2 upgrade", async () => {
    const run = await render({ ...base, app: { ...base.app, connectionLifetimeSeconds: 7200 } });
    const policy = spec(run, "DestinationRule").trafficPolicy;
    expect(policy.loadBalancer).toEqual({ simple: "LEAST_REQUEST" });
    expect(policy.connectionPool.http.h2UpgradePolicy).toBe("DO_NOT_UPGRADE");
    expect(policy.connectionPool.http.idleTimeout).toBe("7200s");
    expect(policy.connectionPool.tcp.idleTimeout).toBe("7200s");
    expect(policy.connectionPool.tcp.maxConnectionDuration).toBeUndefined();
    expect(policy.connectionPool.http.maxRequestsPerConnection).toBeUndefined();
    expect(policy.outlierDetection).toEqual({
      consecutive5xxErrors: 5,
      consecutiveGatewayErrors: 3,
      interval: "10s",
      baseEjectionTime: "30s",
      maxEjectionPercent: 50,
    });
    expect(policy.outlierDetection.consecutiveErrors).toBeUndefined();
  });

  test("DestinationRule with affinity: cookie consistent hashing and no simple policy (they are exclusive); limits from config", async () => {
    const run = await render({
      ...base,
      mesh: {
        istio: {
          loadBalancing: { sessionAffinity: true, cookieName: "chat-node", cookieTtlSeconds: 3600 },
          connectionPool: { maxConnections: 5000, http2MaxRequests: 6000, http1MaxPendingRequests: 64 },
        },
      },
    });
    const policy = spec(run, "DestinationRule").trafficPolicy;
    expect(policy.loadBalancer).toEqual({ consistentHash: { httpCookie: { name: "chat-node", path: "/", ttl: "3600s" } } });
    expect(policy.connectionPool.tcp.maxConnections).toBe(5000);
    expect(policy.connectionPool.http.http2MaxRequests).toBe(6000);
    expect(policy.connectionPool.http.http1MaxPendingRequests).toBe(64);
    expect(validateObjects(objectsOf(run, "DestinationRule"))).toEqual([]);
  });

  test("DestinationRule affinity with the default cookie lifetime still issues the cookie: ttl 0s (a session cookie), never left out", async () => {
    // Envoy produces no hash (so no affinity) when the cookie is absent and no ttl is set; a present zero ttl makes a session cookie.
    const run = await render({ ...base, mesh: { istio: { loadBalancing: { sessionAffinity: true } } } });
    expect(spec(run, "DestinationRule").trafficPolicy.loadBalancer).toEqual({
      // The default name is the controllers' cookie, so both layers pin on one cookie.
      consistentHash: { httpCookie: { name: "ws_affinity", path: "/", ttl: "0s" } },
    });
  });

  test("one DestinationRule per Service whether the gateway, the mesh or both are Istio", async () => {
    expect(objectsOf(await render({ ...base, mesh: { provider: "istio" } }), "DestinationRule")).toHaveLength(1);
    expect(objectsOf(await render(base), "DestinationRule")).toHaveLength(1);
  });

  test("Gateway: TLS by credentialName in the gateway namespace; the WebSocket route only on 443 then", async () => {
    const run = await runProgram(
      () => {
        const settings = resolvePlatformConfig(base, stackConfigKeys).settings;
        const install = appControllerInstall(settings);
        expect(install).toMatchObject({ namespace: "istio-ingress", tlsSecretNamespace: "istio-ingress", serviceAccountName: "istio-ingressgateway" });
        istioController.route(
          { name: "route", settings, namespace: "rt", serviceName: "ws-chat", servicePort: 8080, install, tlsSecretName: "chat-tls", meshNeedsServiceAddress: false },
          {},
        );
      },
      { stack: "test", config: {} },
    );
    const gateway = oneObject(run, "Gateway");
    expect(gateway.metadata.namespace).toBe("istio-ingress");
    const servers = (gateway.spec as any).servers;
    expect(servers.find((s: any) => s.port.number === 443).tls).toEqual({ mode: "SIMPLE", credentialName: "chat-tls", minProtocolVersion: "TLSV1_2" });
    // The base config's issuer is ACME HTTP-01: port 80 stays plain for the challenge (the app is not routed there).
    expect(settingsOf(base).tls).toMatchObject({ issuer: "letsencrypt", solver: "http01" });
    expect(servers.find((s: any) => s.port.number === 80).tls).toBeUndefined();
    expect((gateway.spec as any).selector).toEqual({ app: "istio-ingressgateway", istio: "ingressgateway" });
    // Only the public host's own page is routed (origins: test/ingress/origins.test.ts); all of it on 443.
    expect(spec(run, "VirtualService").http[0].match).toEqual([{ port: 443, headers: { origin: { exact: "https://ws.example.com" } } }]);
    expect(validateObjects(kubernetesObjects(run.resources))).toEqual([]);
    expect(istioController.acmeHttp01Solver(undefined as never, { name: "x", namespace: "rt" })).toEqual({ ingress: { class: "istio" } });
  });

  test.each([
    ["selfsigned", { issuer: "selfsigned" }],
    ["DNS-01", { solver: "dns01", dns01: { provider: "cloudflare", cloudflare: { apiTokenSecretRef: { name: "cf", key: "token" } } } }],
  ])("Gateway with %s: port 80 redirects to HTTPS (no HTTP-01 challenge needs it)", (_, tls) => {
    const settings = settingsOf({ ...base, tls: { ...base.tls, ...tls } as PlatformArgs["tls"] });
    const port80 = gatewaySpec(settings, "chat-tls").servers!.find((s) => s.port?.number === 80)!;
    expect(port80.tls).toEqual({ httpsRedirect: true });
    expect(gatewaySpec({ ...settings, tls: { ...settings.tls, enabled: false as const } }, undefined).servers).toEqual([{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: settings.ingress.hosts }]);
  });
});

describe("Linkerd mesh", () => {
  let restore: () => void;
  let controller: PlatformArgs["ingress"]["controller"];
  beforeAll(() => {
    const other = nonIstioController();
    restore = other.restore;
    controller = other.name;
  });
  afterAll(() => restore());

  const linkerdArgs = (linkerd: NonNullable<PlatformArgs["mesh"]>["linkerd"] = {}, clients: NonNullable<PlatformArgs["mesh"]>["clients"] = []): PlatformArgs => ({
    ...base,
    ingress: { controller, hosts: ["ws.example.com"] },
    mesh: { provider: "linkerd", linkerd, clients },
  });

  test("pods are injected with proxy resources from config, default-deny inbound and a native sidecar; the namespace is untouched", async () => {
    const run = await render(linkerdArgs({ proxyResources: { cpuRequest: "50m", memoryRequest: "32Mi", memoryLimit: "128Mi" } }));
    expect(podTemplate(run).metadata.annotations).toEqual({
      "linkerd.io/inject": "enabled",
      "config.linkerd.io/default-inbound-policy": "deny",
      "config.linkerd.io/proxy-enable-native-sidecar": "true",
      "config.linkerd.io/proxy-cpu-request": "50m",
      "config.linkerd.io/proxy-memory-request": "32Mi",
      "config.linkerd.io/proxy-memory-limit": "128Mi",
    });
    expect(oneObject(run, "Namespace", "rt").metadata.annotations).toBeUndefined();
  });

  test("Server v1beta3 on the WebSocket port as HTTP/1; AuthorizationPolicy + MeshTLSAuthentication admit the controller and configured clients", async () => {
    const run = await render(linkerdArgs({}, [{ namespace: "bots", serviceAccount: "ticker" }]));
    const ws = oneObject(run, "Server", "chat-websocket");
    expect(ws.apiVersion).toBe("policy.linkerd.io/v1beta3");
    expect(ws.spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "chat", "app.kubernetes.io/instance": "ws-chat" } },
      port: "websocket",
      proxyProtocol: "HTTP/1",
    });
    const authn = oneObject(run, "MeshTLSAuthentication", "chat-websocket-clients");
    expect((authn.spec as any).identityRefs).toEqual([
      { kind: "ServiceAccount", name: expect.any(String), namespace: expect.any(String) },
      { kind: "ServiceAccount", name: "ticker", namespace: "bots" },
    ]);
    const authz = oneObject(run, "AuthorizationPolicy", "chat-websocket");
    expect(authz.apiVersion).toBe("policy.linkerd.io/v1alpha1");
    expect(authz.spec).toEqual({
      targetRef: { group: "policy.linkerd.io", kind: "Server", name: "chat-websocket" },
      requiredAuthenticationRefs: [{ group: "policy.linkerd.io", kind: "MeshTLSAuthentication", name: "chat-websocket-clients" }],
    });
    expect(objectsOf(run, "ServerAuthorization")).toEqual([]);
  });

  test("metrics scrape: the app's metrics port for in-cluster Prometheus, the proxy admin port for linkerd-viz's Prometheus", async () => {
    const run = await render(linkerdArgs());
    expect(spec(run, "Server", "chat-metrics")).toMatchObject({ port: "metrics", proxyProtocol: "HTTP/1", accessPolicy: "cluster-unauthenticated" });
    expect(spec(run, "Server", "chat-proxy-admin")).toMatchObject({ port: "linkerd-admin", proxyProtocol: "HTTP/1" });
    expect(spec(run, "AuthorizationPolicy", "chat-proxy-admin").requiredAuthenticationRefs).toEqual([
      { kind: "ServiceAccount", name: "prometheus", namespace: "linkerd-viz" },
    ]);
    // No HTTPRoute on any Server: Linkerd then keeps authorizing kubelet probes by itself.
    expect(objectsOf(run, "HTTPRoute")).toEqual([]);
    const noViz = await render(linkerdArgs({ vizNamespace: "" }));
    expect(objectsOf(noViz, "Server").map((s) => s.metadata.name).sort()).toEqual(["chat-metrics", "chat-websocket"]);
  });
});

describe("bad combinations fail at preview with a clear error", () => {
  const cases: [string, unknown, string, string][] = [
    ["Istio gateway with Linkerd", { ...base, mesh: { provider: "linkerd" } }, "websocket-platform:mesh.provider", "cannot hold a Linkerd identity"],
    [
      "ambient mode with sidecar resources",
      { ...base, mesh: { provider: "istio", istio: { mode: "ambient", proxyResources: { cpuRequest: "100m" } } } },
      "websocket-platform:mesh.istio.proxyResources",
      "ambient",
    ],
    [
      "Linkerd settings without Linkerd",
      { ...base, mesh: { provider: "istio", linkerd: { vizNamespace: "" } } },
      "websocket-platform:mesh.linkerd",
      "mesh.provider linkerd",
    ],
    [
      "Istio settings with neither Istio mesh nor gateway",
      { ...base, ingress: { controller: "traefik", hosts: ["ws.example.com"] }, mesh: { istio: { mode: "ambient" } } },
      "websocket-platform:mesh.istio",
      "ingress.controller istio",
    ],
    [
      "sidecar resources with only the Istio gateway",
      { ...base, mesh: { istio: { proxyResources: { cpuRequest: "100m" } } } },
      "websocket-platform:mesh.istio.proxyResources",
      "mesh.provider istio",
    ],
    ["gateway in the app namespace", { ...base, mesh: { istio: { gateway: { namespace: "rt" } } } }, "websocket-platform:mesh.istio.gateway.namespace", "other than the app's"],
    ["a bad CIDR", { ...base, networkPolicy: { externalEgress: [{ name: "db", cidr: "10.1.0.0/33", ports: [{ port: 5432 }] }] } }, "websocket-platform:networkPolicy.externalEgress[0].cidr", "IPv4 CIDR"],
    [
      "a bad label in the monitoring peer",
      { ...base, networkPolicy: { monitoring: { podLabels: { app: "-prom-" } } } },
      "websocket-platform:networkPolicy.monitoring.podLabels.app",
      "label value",
    ],
    ["unknown Istio mode", { ...base, mesh: { provider: "istio", istio: { mode: "waypoint" } } }, "websocket-platform:mesh.istio.mode", '"sidecar", "ambient"'],
    [
      "affinity at the controller but not in the mesh",
      { ...base, ingress: { controller: "nginx", hosts: ["ws.example.com"], sessionAffinity: true }, mesh: { provider: "istio" } },
      "websocket-platform:mesh.istio.loadBalancing.sessionAffinity",
      "true, as ingress.sessionAffinity",
    ],
    [
      "affinity in the mesh but not at the controller",
      { ...base, ingress: { controller: "haproxy", hosts: ["ws.example.com"] }, mesh: { provider: "istio", istio: { loadBalancing: { sessionAffinity: true } } } },
      "websocket-platform:mesh.istio.loadBalancing.sessionAffinity",
      "false, as ingress.sessionAffinity",
    ],
    [
      "a mesh affinity cookie other than the controller's",
      {
        ...base,
        ingress: { controller: "traefik", hosts: ["ws.example.com"], sessionAffinity: true },
        mesh: { provider: "istio", istio: { loadBalancing: { sessionAffinity: true, cookieName: "chat-node" } } },
      },
      "websocket-platform:mesh.istio.loadBalancing.cookieName",
      '"ws_affinity", the cookie the ingress controller sets',
    ],
  ];

  test.each(cases)("%s", (_, args, key, allowed) => {
    const problems = problemsOf(args);
    const problem = problems.find((p) => p.key === key);
    expect(problem).toBeDefined();
    expect(problem!.allowed).toContain(allowed);
  });

  test("a sidecar mesh behind a controller other than the Istio gateway is a preview warning, ambient is not", () => {
    const sidecar = resolvePlatformConfig({ ...base, ingress: { controller: "traefik", hosts: ["ws.example.com"] }, mesh: { provider: "istio" } }, stackConfigKeys);
    expect(sidecar.warnings.join("\n")).toMatch(/ingress.controller traefik.*route to the Service/);
    const ambient = resolvePlatformConfig(
      { ...base, ingress: { controller: "traefik", hosts: ["ws.example.com"] }, mesh: { provider: "istio", istio: { mode: "ambient" } } },
      stackConfigKeys,
    );
    expect(ambient.warnings).toEqual([]);
    expect(resolvePlatformConfig({ ...base, mesh: { provider: "istio" } }, stackConfigKeys).warnings).toEqual([]);
  });

  test("the error is raised before anything is registered", async () => {
    const run = await import("../tools/mockRunner").then((m) =>
      m.settleProgram(() => void new WebSocketPlatform("ws", { ...base, mesh: { provider: "linkerd" } }), { stack: "test", config: {} }),
    );
    expect(isConfigError(run.error)).toBe(true);
    expect(kubernetesObjects(run.resources)).toEqual([]);
  });
});
