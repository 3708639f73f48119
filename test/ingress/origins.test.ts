import * as fs from "fs";
import * as path from "path";
import { stackConfigKeys } from "../../components/config/parse";
import { resolvePlatformConfig } from "../../components/config/resolve";
import { edgeOrigins, hostOrigins, originPolicyOf } from "../../components/ingress/allowedOrigins";
import { KubernetesObject } from "../../tools/kubernetesObjects";
import { ProgramRun } from "../../tools/mockRunner";
import { evaluateValidations } from "../support/cel";
import { configErrorOf } from "../support/configErrors";
import { crdSchemaDir, validateObjects } from "../support/schemas";
import { objects, platformConfig, renderPlatform, settingsOf } from "./support";

/**
 * The origin allow-list (ingress.allowedOrigins, ingress.allowMissingOrigin): its defaults, its errors, and how each
 * controller's route refuses other origins at the edge (or why it cannot), asserted on the rendered objects.
 */

const httpRoute = (run: ProgramRun, name: string) => objects(run, "HTTPRoute").find((o) => o.metadata.name === name) as KubernetesObject & { spec: any };
const containerEnv = (run: ProgramRun) => {
  const deployment = objects(run, "Deployment").find((o) => o.metadata.name === "chat") as any;
  return Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
};
const smokeEnv = (run: ProgramRun) => {
  const job = objects(run, "Job")[0] as any;
  return Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
};
const errorText = (over: Record<string, unknown>) => configErrorOf(platformConfig(over)).message;
const warningsOf = (over: Record<string, unknown>) => resolvePlatformConfig(platformConfig(over), stackConfigKeys).warnings;
const originWarnings = (over: Record<string, unknown>) => warningsOf(over).filter((w) => /allowedOrigins|allowMissingOrigin/.test(w));

describe("defaults: the public hosts' own origins; native clients (no Origin) in dev only", () => {
  test("prod and staging: https://<host> for each host with TLS, no missing Origin", () => {
    for (const environment of ["prod", "staging"]) {
      const settings = settingsOf({ environment, ingress: { hosts: ["ws.example.com", "chat.example.org"] } });
      expect(settings.ingress.allowedOrigins).toBeUndefined();
      expect(originPolicyOf(settings)).toEqual({ allowedOrigins: ["https://ws.example.com", "https://chat.example.org"], allowMissingOrigin: false });
    }
  });

  test("without TLS the hosts' pages are http://", () => {
    expect(originPolicyOf(settingsOf({ environment: "staging", tls: { enabled: false, allowPlaintextOutsideDev: true } })).allowedOrigins).toEqual(["http://ws.example.com"]);
  });

  test("dev: the host's own http:// page and native clients, not any origin; what the user lists replaces the default", () => {
    expect(originPolicyOf(settingsOf({ environment: "dev" }))).toEqual({ allowedOrigins: ["http://ws.example.com"], allowMissingOrigin: true });
    expect(originPolicyOf(settingsOf({ environment: "dev", ingress: { allowedOrigins: ["http://localhost:3000"] } }))).toEqual({
      allowedOrigins: ["http://localhost:3000"],
      allowMissingOrigin: true,
    });
  });

  test("a wildcard host names no single origin: it adds none, and with only wildcards the list must be given", () => {
    expect(hostOrigins(["*.example.com", "ws.example.com"], true)).toEqual(["https://ws.example.com"]);
    // Plain HTTP here: HTTP-01 cannot issue wildcard certificates, and the origin rule is what is under test.
    const wildcard = { environment: "staging", tls: { enabled: false, allowPlaintextOutsideDev: true } };
    const error = errorText({ ...wildcard, ingress: { hosts: ["*.example.com"] } });
    expect(error).toContain("websocket-platform:ingress.allowedOrigins");
    expect(error).toContain("*.example.com");
    expect(error).toContain("is a wildcard, which names no single origin");
    // Listing them, or admitting only native clients, is enough.
    expect(() => settingsOf({ ...wildcard, ingress: { hosts: ["*.example.com"], allowedOrigins: ["https://app.example.com"] } })).not.toThrow();
    expect(() => settingsOf({ ...wildcard, ingress: { hosts: ["*.example.com"], allowMissingOrigin: true } })).not.toThrow();
  });

  test("origins are normalised as browsers send them, duplicates dropped", () => {
    const settings = settingsOf({ ingress: { allowedOrigins: ["HTTPS://App.Example.com:443", "https://app.example.com", "http://localhost:3000"] } });
    expect(originPolicyOf(settings).allowedOrigins).toEqual(["https://app.example.com", "http://localhost:3000"]);
  });
});

describe("errors name the key, the value and what is allowed", () => {
  test.each([
    ["a path", "https://app.example.com/"],
    ["the opaque origin", "null"],
    ["a bare host", "app.example.com"],
    ["a wildcard origin (the server compares exactly)", "https://*.example.com"],
    ["user info", "https://user@app.example.com"],
    ["a character a route rule could read as syntax", "https://app`.example.com"],
  ])("%s: %p", (_case, origin) => {
    const error = errorText({ ingress: { allowedOrigins: ["https://ok.example.com", origin] } });
    expect(error).toContain("websocket-platform:ingress.allowedOrigins[1]");
    expect(error).toContain(JSON.stringify(origin));
    expect(error).toContain("an exact origin scheme://host[:port] such as https://app.example.com");
  });

  test('"*" only alone, and the list is never empty', () => {
    expect(errorText({ ingress: { allowedOrigins: ["*", "https://app.example.com"] } })).toContain('"*" alone (any origin)');
    expect(errorText({ ingress: { allowedOrigins: [] } })).toContain("websocket-platform:ingress.allowedOrigins");
    expect(errorText({ ingress: { allowMissingOrigin: "yes" } })).toContain("websocket-platform:ingress.allowMissingOrigin");
  });

  test('"*" outside dev is allowed but said at every preview', () => {
    expect(originWarnings({ ingress: { controller: "traefik", allowedOrigins: ["*"] } })).toEqual([
      expect.stringContaining('ingress.allowedOrigins is ["*"] in prod: any site\'s page may open the WebSocket'),
    ]);
    expect(originWarnings({ environment: "dev", ingress: { controller: "traefik" } })).toEqual([]);
  });
});

describe("Gateway API: one Origin match per allowed origin (Traefik and NGINX Gateway Fabric)", () => {
  const origins = ["https://ws.example.com", "https://app.example.com"];
  let traefik: ProgramRun;
  let fabric: ProgramRun;
  let fabricNative: ProgramRun;
  let fabricAny: ProgramRun;
  beforeAll(async () => {
    traefik = await renderPlatform({ ingress: { controller: "traefik", api: "gateway", allowedOrigins: origins } });
    fabric = await renderPlatform({ ingress: { controller: "nginx-gateway-fabric", allowedOrigins: origins } });
    fabricNative = await renderPlatform({ ingress: { controller: "nginx-gateway-fabric", allowMissingOrigin: true } });
    fabricAny = await renderPlatform({ ingress: { controller: "nginx-gateway-fabric", allowedOrigins: ["*"] } });
  });

  test.each([["traefik"], ["nginx-gateway-fabric"]])("%s: the app's rule matches each allowed Origin exactly, nothing else; a request without one matches no rule (404)", (controller) => {
    const run = controller === "traefik" ? traefik : fabric;
    const rules = httpRoute(run, "chat").spec.rules;
    expect(rules).toHaveLength(1);
    expect(rules[0].matches).toEqual(origins.map((value) => ({ path: { type: "PathPrefix", value: "/" }, headers: [{ type: "Exact", name: "Origin", value }] })));
    expect(rules[0].backendRefs).toEqual([{ group: "", kind: "Service", name: "chat", port: 8080 }]);
    // Every match carries an Origin condition: no match without one routes to the Service.
    expect(rules.flatMap((r: any) => r.matches).filter((m: any) => !(m.headers ?? []).some((h: any) => h.name === "Origin"))).toEqual([]);
    expect(originWarnings({ ingress: { controller, ...(controller === "traefik" ? { api: "gateway" } : {}), allowedOrigins: origins } })).toEqual([]);
  });

  test("the HTTP→HTTPS redirect route matches no origin: a handshake never follows a redirect, so no socket opens there", () => {
    const redirect = httpRoute(fabric, "chat-redirect").spec;
    expect(redirect.rules).toEqual([{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }]);
    expect(redirect.rules.some((r: any) => "backendRefs" in r)).toBe(false);
  });

  test("allowMissingOrigin: Gateway API cannot match a missing header, so the route takes every origin, and preview says the app is the only line", () => {
    expect(httpRoute(fabricNative, "chat").spec.rules[0].matches).toEqual([{ path: { type: "PathPrefix", value: "/" } }]);
    expect(originWarnings({ ingress: { controller: "nginx-gateway-fabric", allowMissingOrigin: true } })).toEqual([
      expect.stringMatching(/^websocket-platform:ingress\.allowMissingOrigin is true: Gateway API \(nginx-gateway-fabric\) cannot match a missing header.*the app's own check .* is the only line/),
    ]);
    expect(containerEnv(fabricNative)).toMatchObject({ ALLOWED_ORIGINS: "https://ws.example.com", ALLOW_MISSING_ORIGIN: "true" });
  });

  test('any origin ("*"): no Origin match, and only the any-origin warning', () => {
    expect(httpRoute(fabricAny, "chat").spec.rules[0].matches).toEqual([{ path: { type: "PathPrefix", value: "/" } }]);
    expect(originWarnings({ ingress: { controller: "nginx-gateway-fabric", allowedOrigins: ["*"] } })).toEqual([expect.stringContaining('is ["*"] in prod')]);
  });

  test("every object passes the strict schemas, and 64 origins (the schema's cap) pass the HTTPRoute's CEL rules", async () => {
    expect(validateObjects([...objects(traefik), ...objects(fabric), ...objects(fabricNative), ...objects(fabricAny)])).toEqual([]);
    const many = Array.from({ length: 64 }, (_, i) => `https://app${i}.example.com`);
    const run = await renderPlatform({ ingress: { controller: "nginx-gateway-fabric", allowedOrigins: many } });
    const route = httpRoute(run, "chat");
    expect(route.spec.rules[0].matches).toHaveLength(64);
    expect(validateObjects([route])).toEqual([]);
    const schema = JSON.parse(fs.readFileSync(path.join(crdSchemaDir, "gateway.networking.k8s.io", "httproute_v1.json"), "utf8"));
    const results = evaluateValidations(route, schema);
    expect(results.filter((r) => r.rule.includes("matches.size()")).map((r) => r.outcome)).toEqual(["pass"]);
    expect(results.filter((r) => r.outcome === "fail")).toEqual([]);
    expect(errorText({ ingress: { allowedOrigins: [...many, "https://one-more.example.com"] } })).toContain("ingress.allowedOrigins");
  });
});

describe("Traefik native: Header matchers in the IngressRoute's rule", () => {
  let strict: ProgramRun;
  let native: ProgramRun;
  let dev: ProgramRun;
  beforeAll(async () => {
    // Plain HTTP for the wildcard host (HTTP-01 cannot issue wildcard certificates).
    strict = await renderPlatform({
      environment: "staging",
      tls: { enabled: false, allowPlaintextOutsideDev: true },
      ingress: { controller: "traefik", hosts: ["ws.example.com", "*.chat.example.com"], allowedOrigins: ["https://ws.example.com", "https://app.example.com"] },
    });
    native = await renderPlatform({ ingress: { controller: "traefik", allowMissingOrigin: true } });
    dev = await renderPlatform({ environment: "dev", ingress: { controller: "traefik" } });
  });
  const routeMatch = (run: ProgramRun, name = "chat") =>
    (objects(run, "IngressRoute").find((o) => o.metadata.name === name) as any).spec.routes.map((r: { match: string }) => r.match);

  test("hosts AND one of the allowed origins, each an exact Header matcher", () => {
    expect(routeMatch(strict)).toEqual([
      "(Host(`ws.example.com`) || HostRegexp(`^[a-z0-9-]+\\.chat\\.example\\.com$`)) && (Header(`Origin`, `https://ws.example.com`) || Header(`Origin`, `https://app.example.com`))",
    ]);
    expect(originWarnings({ ingress: { controller: "traefik" } })).toEqual([]);
  });

  test("allowMissingOrigin adds 'no Origin header at all' (a negated HeaderRegexp): foreign origins still match no router", () => {
    expect(routeMatch(native)).toEqual(["Host(`ws.example.com`) && (Header(`Origin`, `https://ws.example.com`) || !HeaderRegexp(`Origin`, `.*`))"]);
    expect(originWarnings({ ingress: { controller: "traefik", allowMissingOrigin: true } })).toEqual([]);
  });

  test("the redirect route on web stays host-only; dev routes the host's http:// page and native clients", () => {
    expect(routeMatch(native, "chat-redirect")).toEqual(["Host(`ws.example.com`)"]);
    expect(routeMatch(dev)).toEqual(["Host(`ws.example.com`) && (Header(`Origin`, `http://ws.example.com`) || !HeaderRegexp(`Origin`, `.*`))"]);
  });

  test("every object passes the strict schemas", () => {
    expect(validateObjects([...objects(strict), ...objects(native), ...objects(dev)])).toEqual([]);
  });
});

describe("Istio gateway: VirtualService routes tried in order, a foreign Origin answered 403 by the gateway", () => {
  const istio = { ingress: { controller: "istio" }, mesh: { provider: "istio" } };
  const virtualService = (run: ProgramRun) => objects(run, "VirtualService")[0] as KubernetesObject & { spec: any };
  let strict: ProgramRun;
  let native: ProgramRun;
  beforeAll(async () => {
    strict = await renderPlatform({ ...istio, ingress: { controller: "istio", allowedOrigins: ["https://ws.example.com", "https://app.example.com"] } });
    native = await renderPlatform({ ...istio, ingress: { controller: "istio", allowMissingOrigin: true } });
  });

  test("allowed origins (exact origin header) go to the app; everything else on 443 gets 403", () => {
    const http = virtualService(strict).spec.http;
    expect(http.map((r: any) => r.name)).toEqual(["websocket", "origin-refused"]);
    expect(http[0].match).toEqual([
      { port: 443, headers: { origin: { exact: "https://ws.example.com" } } },
      { port: 443, headers: { origin: { exact: "https://app.example.com" } } },
    ]);
    expect(http[0].route).toEqual([{ destination: { host: "chat", port: { number: 8080 } } }]);
    expect(http[1]).toEqual({ name: "origin-refused", match: [{ port: 443 }], directResponse: { status: 403 } });
    expect(originWarnings({ ...istio })).toEqual([]);
  });

  test("allowMissingOrigin: any other Origin present (presence match) gets 403, then requests without one go to the app", () => {
    const http = virtualService(native).spec.http;
    expect(http.map((r: any) => r.name)).toEqual(["websocket", "origin-refused", "websocket-without-origin"]);
    expect(http[1]).toEqual({ name: "origin-refused", match: [{ port: 443, headers: { origin: {} } }], directResponse: { status: 403 } });
    expect(http[2].match).toEqual([{ port: 443 }]);
    expect(http[2].route).toEqual(http[0].route);
  });

  test("every object passes the strict schemas", () => {
    expect(validateObjects([...objects(strict), ...objects(native)])).toEqual([]);
  });
});

describe("ingress-nginx and HAProxy cannot check the Origin at the edge: one warning names the controller", () => {
  test.each([
    ["nginx", /snippet/],
    ["haproxy", /no HAProxy 3\.2 Ingress annotation matches a request header/],
  ])("%s", async (controller, reason) => {
    const warnings = originWarnings({ ingress: { controller } });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^websocket-platform:ingress\\.allowedOrigins: ${controller} cannot check the Origin header at the edge`));
    expect(warnings[0]).toMatch(reason);
    expect(warnings[0]).toContain("the app's own check (the reference echo server answers 403 before the upgrade, from ALLOWED_ORIGINS) is the only line");
    // The app still gets the list: the server's 403 is that line.
    const run = await renderPlatform({ ingress: { controller } });
    expect(containerEnv(run)).toMatchObject({ ALLOWED_ORIGINS: "https://ws.example.com", ALLOW_MISSING_ORIGIN: "false" });
    // Nothing to check when any origin is allowed: only the any-origin warning remains.
    expect(originWarnings({ ingress: { controller, allowedOrigins: ["*"] } })).toEqual([expect.stringContaining('is ["*"] in prod')]);
  });
});

describe("the app and the smoke test read the same list", () => {
  test("the Deployment's ALLOWED_ORIGINS is the route's list, normalised; the smoke test sends the host's own origin", async () => {
    const run = await renderPlatform({
      environment: "staging",
      ingress: { controller: "traefik", allowedOrigins: ["https://WS.example.com", "https://app.example.com"] },
      tls: { issuer: "selfsigned" },
    });
    expect(containerEnv(run)).toMatchObject({ ALLOWED_ORIGINS: "https://ws.example.com,https://app.example.com", ALLOW_MISSING_ORIGIN: "false" });
    expect(edgeOrigins(originPolicyOf(settingsOf({ ingress: { allowedOrigins: ["https://WS.example.com"] } })))).toEqual(["https://ws.example.com"]);
    expect(smokeEnv(run)).toMatchObject({ SMOKE_URL: "wss://ws.example.com/", SMOKE_ORIGIN: "https://ws.example.com" });
  });

  test("when the host's own page is not allowed, the smoke test sends the first allowed origin; without TLS http://", async () => {
    const run = await renderPlatform({ environment: "staging", ingress: { allowedOrigins: ["https://app.example.com"] }, tls: { enabled: false, allowPlaintextOutsideDev: true } });
    expect(smokeEnv(run)).toMatchObject({ SMOKE_URL: "ws://ws.example.com/", SMOKE_ORIGIN: "https://app.example.com" });
    const dev = await renderPlatform({ environment: "dev" });
    expect(smokeEnv(dev)).toMatchObject({ SMOKE_URL: "ws://ws.example.com/", SMOKE_ORIGIN: "http://ws.example.com" });
    expect(containerEnv(dev)).toMatchObject({ ALLOWED_ORIGINS: "http://ws.example.com", ALLOW_MISSING_ORIGIN: "true" });
  });
});
