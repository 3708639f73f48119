import Ajv2020 from "ajv/dist/2020";
import { deepMerge } from "../../components/config/merge";
import { hostRule, ingressRouteSpec, traefikController, traefikMiddlewares, traefikValues } from "../../components/ingress/traefik";
import { configFiles, helmReleases } from "../../tools/kubernetesObjects";
import { ProgramRun } from "../../tools/mockRunner";
import { validateObjects } from "../support/schemas";
import { objects, one, oneRelease, renderPlatform, settingsOf, sharedJson, sharedYaml } from "./support";
import { clusterSettingsOf } from "../../components/cluster/fromPlatform";
import { appControllerInstall } from "../support/controllerInstall";
import { traefikInstanceLabel } from "../../components/ingress/traefik";

const full = {
  ingress: {
    controller: "traefik",
    sessionAffinity: true,
    rateLimit: { requestsPerSecond: 20, burst: 50 },
    maxConnectionsPerClient: 10,
    cors: { allowOrigins: ["https://app.example.com"] },
  },
};

let plain: ProgramRun;
let rich: ProgramRun;
let gateway: ProgramRun;
beforeAll(async () => {
  plain = await renderPlatform({ ingress: { controller: "traefik" } });
  rich = await renderPlatform(full);
  gateway = await renderPlatform({ ingress: { controller: "traefik", api: "gateway", rateLimit: { requestsPerSecond: 5 } } });
});

const traefikKind = (run: ProgramRun, kind: string) => objects(run, kind).filter((o) => o.apiVersion === "traefik.io/v1alpha1");

describe("traefik: the release", () => {
  test("Traefik v3 from traefik.github.io/charts, pinned, in its own restricted namespace", () => {
    expect(oneRelease(plain).inputs).toMatchObject({
      name: "traefik",
      chart: "traefik",
      version: "41.3.0",
      repositoryOpts: { repo: "https://traefik.github.io/charts" },
      namespace: "traefik",
    });
    expect(one(plain, "Namespace", "traefik").metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
  });

  test("entry-point read/write timeouts cover the lifetime (v3 defaults readTimeout to 60 s)", () => {
    const values = oneRelease(plain).inputs.values;
    for (const entryPoint of ["web", "websecure"]) {
      expect(values.ports[entryPoint].transport.respondingTimeouts).toEqual({ readTimeout: "3600s", writeTimeout: "3600s", idleTimeout: "180s" });
    }
    expect(values).toMatchObject({
      deployment: { replicas: 2 },
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      ingressClass: { enabled: true, isDefaultClass: false, name: "traefik" },
      providers: { kubernetesCRD: { enabled: true, allowCrossNamespace: false }, kubernetesGateway: { enabled: false } },
      gateway: { enabled: false },
    });
  });

  test("every values key is allowed by the chart's strict values.schema.json (merged over its defaults)", () => {
    const schema = sharedJson<object>("charts", "traefik", "41.3.0", "values.schema.json");
    const defaults = sharedYaml("charts", "traefik", "41.3.0", "values.yaml");
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    for (const over of [{}, full, { ingress: { controller: "traefik", api: "gateway" } }, { environment: "dev" }]) {
      const values = traefikValues(clusterSettingsOf(settingsOf(deepMerge({ ingress: { controller: "traefik" } }, over))));
      const ok = validate(deepMerge(defaults, values));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
    // The schema is strict: a misspelt key fails, so the check above can fail.
    expect(validate(deepMerge(defaults, { providers: { kubernetesGateway: { enable: true } } }))).toBe(false);
    expect(validate(deepMerge(defaults, { ports: { websecure: { timeouts: {} } } }))).toBe(false);
  });
});

describe("traefik: IngressRoute and friends (traefik.io)", () => {
  test("an IngressRoute on websecure with the TLS secret, the middlewares and the ServersTransport", () => {
    const route = traefikKind(plain, "IngressRoute").find((o) => o.metadata.name === "chat")! as any;
    expect(route.metadata.namespace).toBe("chat");
    expect(route.spec).toEqual({
      entryPoints: ["websecure"],
      routes: [
        {
          kind: "Rule",
          // prod: only pages on the app's own host may open the socket; any other Origin, or none, matches no router (404).
          match: "Host(`ws.example.com`) && Header(`Origin`, `https://ws.example.com`)",
          middlewares: [{ name: "chat-headers" }, { name: "chat-circuit-breaker" }],
          services: [{ kind: "Service", name: "chat", port: 8080, serversTransport: "chat-transport" }],
        },
      ],
      tls: { secretName: "websocket-tls" },
    });
  });

  test("HTTP redirects to HTTPS with redirectScheme (the deprecated headers.sslRedirect is never used)", () => {
    const redirect = traefikKind(plain, "IngressRoute").find((o) => o.metadata.name === "chat-redirect")! as any;
    expect(redirect.spec.entryPoints).toEqual(["web"]);
    expect(redirect.spec.routes[0].middlewares).toEqual([{ name: "chat-redirect" }]);
    expect((traefikKind(plain, "Middleware").find((o) => o.metadata.name === "chat-redirect") as any).spec).toEqual({
      redirectScheme: { scheme: "https", permanent: true },
    });
    for (const m of traefikKind(rich, "Middleware") as any[]) expect(m.spec.headers?.sslRedirect).toBeUndefined();
  });

  test("security headers with HSTS, rate limit, in-flight limit, CORS list and circuit breaker when configured", () => {
    const byName = Object.fromEntries(traefikKind(rich, "Middleware").map((m: any) => [m.metadata.name, m.spec]));
    expect(byName["chat-headers"]).toEqual({
      headers: { contentTypeNosniff: true, frameDeny: true, referrerPolicy: "strict-origin-when-cross-origin", stsSeconds: 31536000, stsIncludeSubdomains: false },
    });
    expect(byName["chat-ratelimit"]).toEqual({ rateLimit: { average: 20, period: "1s", burst: 50 } });
    expect(byName["chat-inflight"]).toEqual({ inFlightReq: { amount: 10 } });
    expect(byName["chat-cors"].headers).toMatchObject({ accessControlAllowOriginList: ["https://app.example.com"], accessControlAllowCredentials: false });
    expect(byName["chat-circuit-breaker"].circuitBreaker.expression).toContain("NetworkErrorRatio()");
  });

  test("wildcard-subdomain CORS origins go to the regex list (Traefik matches accessControlAllowOriginList literally)", () => {
    // Before: https://*.example.org sat in accessControlAllowOriginList, which no browser origin ever equals.
    const settings = settingsOf({ ingress: { controller: "traefik", cors: { allowOrigins: ["https://app.example.com", "https://*.example.org:8443"] } } });
    const headers = traefikMiddlewares(settings).find((m) => m.name === "chat-cors")!.spec!.headers!;
    expect(headers.accessControlAllowOriginList).toEqual(["https://app.example.com"]);
    expect(headers.accessControlAllowOriginListRegex).toEqual(["^https://[a-z0-9-]+\\.example\\.org:8443$"]);
    const re = new RegExp(headers.accessControlAllowOriginListRegex![0]);
    expect(["https://a.example.org:8443", "https://a.b.example.org:8443", "https://aexample.org:8443", "https://a.example.org"].map((o) => re.test(o))).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(traefikMiddlewares(settingsOf({ ingress: { controller: "traefik", cors: { allowOrigins: ["*"], allowAnyOrigin: true } } })).find((m) => m.name === "chat-cors")!.spec!.headers).toMatchObject({
      accessControlAllowOriginList: ["*"],
    });
    expect(
      validateObjects(traefikMiddlewares(settings).map((m) => ({ apiVersion: "traefik.io/v1alpha1", kind: "Middleware", metadata: { name: m.name }, spec: m.spec }))),
    ).toEqual([]);
  });

  test("sticky cookie: Secure, HttpOnly, SameSite when affinity is on; Secure follows TLS", () => {
    const route = traefikKind(rich, "IngressRoute").find((o) => o.metadata.name === "chat")! as any;
    expect(route.spec.routes[0].services[0].sticky).toEqual({
      cookie: { name: "ws_affinity", secure: true, httpOnly: true, sameSite: "lax", maxAge: 3600 },
    });
    const dev = ingressRouteSpec(settingsOf({ environment: "dev", ingress: { sessionAffinity: true } }), "chat", 8080, [], undefined);
    expect(dev!.entryPoints).toEqual(["web"]);
    expect(dev!.routes[0].services![0].sticky!.cookie!.secure).toBe(false);
    expect(dev!.tls).toBeUndefined();
  });

  test("ServersTransport: dial within the connect timeout, headers within the lifetime, never insecureSkipVerify", () => {
    const transport = traefikKind(plain, "ServersTransport")[0] as any;
    expect(transport.spec).toEqual({ forwardingTimeouts: { dialTimeout: "5s", responseHeaderTimeout: "3600s" } });
  });

  test("wildcard hosts become a HostRegexp (Host() takes none)", () => {
    expect(hostRule(["ws.example.com", "*.example.org"])).toBe("Host(`ws.example.com`) || HostRegexp(`^[a-z0-9-]+\\.example\\.org$`)");
  });

  test("every object passes the strict schemas (no deprecated fields: the CRD schemas are current)", () => {
    expect(validateObjects([...objects(plain), ...objects(rich), ...objects(gateway)])).toEqual([]);
  });
});

describe("traefik: Gateway API", () => {
  test("the chart's Gateway provider and GatewayClass on, its default Gateway off; the pinned Gateway API CRDs first", () => {
    const values = oneRelease(gateway).inputs.values;
    expect(values.providers.kubernetesGateway).toEqual({ enabled: true });
    expect(values.gatewayClass).toEqual({ enabled: true, name: "traefik" });
    expect(values.gateway).toEqual({ enabled: false });
    const crds = configFiles(gateway.resources);
    expect(crds.map((r) => r.inputs.file)).toEqual(["https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml"]);
    const release = helmReleases(gateway.resources)[0];
    expect(release.dependsOn.some((d) => d.includes("GatewayApiCrds"))).toBe(true);
  });

  test("a Gateway in traefik's namespace on its entry-point ports, and an HTTPRoute using middlewares by ExtensionRef", () => {
    const gw = one(gateway, "Gateway");
    expect(gw.metadata.namespace).toBe("traefik");
    expect(gw.spec.gatewayClassName).toBe("traefik");
    expect(gw.spec.listeners.map((l: any) => [l.name, l.port, l.protocol])).toEqual([
      ["http", 8000, "HTTP"],
      ["https", 8443, "HTTPS"],
    ]);
    expect(gw.spec.listeners[1].tls).toEqual({ mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: "websocket-tls" }] });
    const route = one(gateway, "HTTPRoute", "chat");
    expect(route.spec.rules[0].filters.map((f: any) => f.extensionRef.name)).toEqual(["chat-headers", "chat-ratelimit", "chat-circuit-breaker"]);
    expect(route.spec.rules[0].timeouts).toBeUndefined();
    expect(objects(gateway, "IngressRoute")).toEqual([]);
  });

  test("HTTP-01 through the Gateway's HTTP listener; TLS secret in the Gateway's namespace", () => {
    const install = appControllerInstall(settingsOf({ ingress: { api: "gateway", gatewayClassName: "shared" } }));
    expect(install).toMatchObject({ className: "shared", tlsSecretNamespace: "traefik", routeApi: "gateway", readyResources: [], foundations: [] });
    expect(traefikController.acmeHttp01Solver(install, { name: "x", namespace: "chat" })).toEqual({
      gatewayHTTPRoute: {
        serviceType: "ClusterIP",
        parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "chat-gateway", namespace: "traefik", sectionName: "http" }],
      },
    });
  });
});

test("the controller pods' instance label is the chart's: <release>-<namespace> cut to 63 characters without a trailing dash", () => {
  const long = "a".repeat(54) + "-bcdefgh";
  expect(traefikInstanceLabel("traefik")).toBe("traefik-traefik");
  const label = traefikInstanceLabel(long);
  expect(label.length).toBeLessThanOrEqual(63);
  // The 63rd character is the "-" after 8 + 54 characters: the chart's trimSuffix drops it.
  expect(label).toBe(`traefik-${"a".repeat(54)}`);
});

