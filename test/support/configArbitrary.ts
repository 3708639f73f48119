import fc from "fast-check";
import { z } from "zod";
import { environments } from "../../components/config/environment";
import { AutoscalingEngine } from "../../components/config/schema/autoscaling";
import { affinityCookieName } from "../../components/config/schema/common";
import { IngressApi, IngressControllerName } from "../../components/config/schema/ingress";
import { MeshProvider } from "../../components/config/schema/mesh";
import { PlatformSettings, platformSchema } from "../../components/config/schema/platform";
import { AcmeSolverName, Dns01ProviderName, TlsIssuerName } from "../../components/config/schema/tls";
import { fabricMaxClassNameLength } from "../../components/ingress/nginx-gateway-fabric";
import { ingressControllers } from "../../components/ingress/registry";

/** The part of a JSON Schema (zod's `toJSONSchema`, input side) the generators read. */
export interface JsonSchema {
  type?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
}

export type Config = Record<string, unknown>;
type Path = (string | number)[];

let platformJson: JsonSchema | undefined;
/** The one config schema as JSON Schema; every generator below derives from it, so new keys are fuzzed too. */
export function platformJsonSchema(): JsonSchema {
  platformJson ??= z.toJSONSchema(platformSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return platformJson;
}

/** `a.b[0].c`, as config errors name a key (after the `websocket-platform:` prefix). */
export function keyOf(path: Path): string {
  return path.reduce<string>((text, part) => (typeof part === "number" ? `${text}[${part}]` : text === "" ? part : `${text}.${part}`), "");
}

// ---------------------------------------------------------------------------------------------------------------
// Valid leaves: numbers over the whole interval with both bounds, strings in the shapes Kubernetes restricts.

/** Any integer of [min, max], each bound as likely as a quarter of the draws. */
export function wholeInterval(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof({ weight: 1, arbitrary: fc.constantFrom(min, max) }, { weight: 3, arbitrary: fc.integer({ min, max }) });
}

/** A name of exactly `length` characters in the given alphabet's shape (first and last alphanumeric). */
function ofLength(stem: string, length: number): string {
  return (stem + "-" + "x".repeat(length)).slice(0, length - 1) + "9";
}

const labelPattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
const subdomainPattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

/** RFC 1123 labels: the longest allowed, leading digits, punycode, and random ones (each key its own stem, so keys rarely collide). */
function labels(stem: string, maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(stem, `0${stem}`, `${stem}-2`, `xn--${stem}-kva`, ofLength(stem, maxLength)),
    fc.stringMatching(/^[a-z0-9](?:[-a-z0-9]{0,14}[a-z0-9])?$/).map((s) => `${stem}-${s}`.slice(0, maxLength).replace(/-+$/, "")),
  );
}

/** RFC 1123 subdomains (Secret names): up to 253 characters in 63-character labels. */
function subdomains(stem: string): fc.Arbitrary<string> {
  const longest = [ofLength(stem, 63), "b".repeat(63), "c".repeat(63), ofLength("d", 61)].join(".");
  return fc.oneof(fc.constantFrom(stem, `0${stem}`, `${stem}.example.com`, `xn--${stem}-kva.example`, longest), labels(stem, 63));
}

/** Host names: a 63-character label, leading digits, punycode (an IDN as Kubernetes must receive it), one-letter TLD. */
function hosts(wildcardAllowed: boolean): fc.Arbitrary<string[]> {
  const host = fc.oneof(
    fc.constantFrom("ws.example.com", "0chat.example.org", "xn--bcher-kva.example", "a.b", `${ofLength("ws", 63)}.example.com`),
    fc.stringMatching(/^[a-z0-9]{1,10}\.example\.(com|org|net)$/),
    ...(wildcardAllowed ? [fc.constantFrom("*.example.com", "*.xn--bcher-kva.example")] : []),
  );
  return fc.uniqueArray(host, { minLength: 1, maxLength: 3 });
}

/** Strings the schema's own regexps accept, for keys whose generic generation is too unlikely to hit. */
const goodStrings: Record<string, string[]> = {
  "app.image": [
    "ghcr.io/acme/chat:1.4.2",
    `chat@sha256:${"b".repeat(64)}`,
    "registry.local:5000/team/chat:V1_2-rc.1",
    `docker.io/acme/chat:${"T".repeat(128)}`,
    `ghcr.io/acme/chat:2.0.0@sha256:${"0".repeat(64)}`,
  ],
  "smokeTest.image": ["docker.io/library/node:24.19.0-alpine3.24", "ghcr.io/acme/node-check:24"],
  "tls.email": ["ops@example.org", "o'brien+ws@sub.example.co"],
  "tls.dns01.route53.region": ["eu-west-1", "us-gov-west-1", "ap-southeast-2"],
  "tls.dns01.route53.hostedZoneID": ["Z0123456789ABC", "Z".repeat(32)],
  "tls.dns01.route53.role": ["arn:aws:iam::123456789012:role/dns", "arn:aws-cn:iam::123456789012:role/ops/cert-manager"],
  "ingress.gatewayApiCrdsUrl": ["https://mirror.example.com/gateway-api/v1.5.1/standard-install.yaml", "http://127.0.0.1:8080/standard-install.yaml"],
  "autoscaling.prometheusUrl": ["http://prometheus-operated.monitoring.svc:9090", "https://thanos.example.com/api"],
  "monitoring.scrapeInterval": ["15s", "1m", "1h30m", "2h"],
  // A fixed address inside the cluster must be the chosen controller's Service (refused otherwise): draw outside ones.
  "smokeTest.address": ["10.0.0.1:8443", "ws-lb.example.com:443"],
  "smokeTest.caPem": ["-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"],
  "mesh.istio.loadBalancing.cookieName": [affinityCookieName, "WS-Session_2", "c".repeat(64)],
  "ingress.cors.allowOrigins[]": ["https://app.example.com", "https://*.example.org", "http://localhost:3000"],
  "ingress.allowedOrigins[]": ["https://app.example.com", "http://localhost:3000", "https://xn--bcher-kva.example:8443"],
  "ingress.cors.allowMethods[]": ["GET", "OPTIONS"],
  "ingress.cors.allowHeaders[]": ["Authorization", "Content-Type", "X-Request-ID"],
  "networkPolicy.externalEgress[].cidr": ["10.20.0.0/16", "0.0.0.0/0", "255.255.255.255/32"],
};
const quantities = ["250m", "1", "0.5", "2Gi", "100Mi", "64Ki", "1.5", "3k"];
const labelKeys = ["release", "team", "app.kubernetes.io/part-of", "example.com/Tier_2", ofLength("k", 63)];
const labelValues = ["kube-prometheus-stack", "1", "", "A_b.c-9", ofLength("v", 63)];

function stringsFor(path: string, node: JsonSchema): fc.Arbitrary<string> {
  const good = goodStrings[path];
  // The stem names the key (`mesh.istio.gateway.namespace` → gateway): different keys draw different names.
  const segments = path.replace(/\[\]/g, "").split(".");
  const named = segments.length > 1 && ["namespace", "name"].includes(segments[segments.length - 1]) ? segments[segments.length - 2] : segments[segments.length - 1];
  const stem = named.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 10) || "x";
  if (good) return fc.constantFrom(...good);
  if (node.pattern === labelPattern) return labels(stem, node.maxLength ?? 63);
  if (node.pattern === subdomainPattern) return subdomains(stem);
  if (node.pattern?.includes("(m|k|M|G|T|Ki|Mi|Gi|Ti)")) return fc.constantFrom(...quantities);
  if (node.pattern) {
    const pattern = new RegExp(node.pattern);
    return fc.stringMatching(pattern).filter((s) => s.length <= (node.maxLength ?? Infinity));
  }
  if (typeof node.default === "string") return fc.constant(node.default);
  // Free text (environment values, annotations): any Unicode, emoji and combining marks included.
  return fc.string({ unit: "grapheme", maxLength: 20 });
}

function recordFor(path: string, node: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const values = typeof node.additionalProperties === "object" ? node.additionalProperties : {};
  const keyPattern = node.propertyNames?.pattern;
  if (path === "app.env") {
    return fc.dictionary(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/), fc.string({ unit: "grapheme", maxLength: 20 }), { maxKeys: 3 });
  }
  if (keyPattern && values.pattern) {
    const keyOk = new RegExp(keyPattern);
    const valueOk = new RegExp(values.pattern);
    return fc.dictionary(fc.constantFrom(...labelKeys.filter((k) => keyOk.test(k))), fc.constantFrom(...labelValues.filter((v) => valueOk.test(v))), {
      minKeys: 0,
      maxKeys: 3,
    });
  }
  if (values.type === "string") return fc.dictionary(fc.constantFrom("a", "example.com/note"), fc.string({ unit: "grapheme", maxLength: 20 }), { maxKeys: 2 });
  // Chart values: free-form, kept empty (their timeouts and keys have tests of their own per controller).
  return fc.constant({});
}

/** Valid values for one schema node, leaving optional keys out at random. */
export function validFor(node: JsonSchema, path: string): fc.Arbitrary<unknown> {
  if (node.anyOf) return fc.oneof(...node.anyOf.filter((b) => Object.keys(b).length > 0).map((b) => validFor(b, path)));
  if (node.const !== undefined) return fc.constant(node.const);
  if (node.enum) return fc.constantFrom(...node.enum);
  switch (node.type) {
    case "boolean":
      return fc.boolean();
    case "integer":
    case "number":
      return wholeInterval(node.minimum ?? 0, node.maximum ?? 1_000_000);
    case "string":
      return stringsFor(path, node);
    case "array": {
      const min = node.minItems ?? 0;
      return fc.array(validFor(node.items ?? {}, `${path}[]`), { minLength: min, maxLength: Math.min(node.maxItems ?? 3, Math.max(min, 3)) });
    }
    case "object":
      if (!node.properties) return recordFor(path, node);
      return fc.record(
        Object.fromEntries(Object.entries(node.properties).map(([k, s]) => [k, validFor(s, path ? `${path}.${k}` : k)])),
        { requiredKeys: node.required ?? [] },
      );
    default:
      return fc.constant(null);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Valid platforms: the choices that pick code paths drawn evenly, then the cross-section rules honoured.

/** The choices whose every value must be exercised, read from resolved settings; undefined where one does not apply. */
export const dimensions = {
  controller: { values: Object.values(IngressControllerName), of: (s: PlatformSettings) => s.ingress.controller },
  routeApi: { values: Object.values(IngressApi), of: (s: PlatformSettings) => s.ingress.api },
  mesh: { values: Object.values(MeshProvider), of: (s: PlatformSettings) => s.mesh.provider },
  autoscalingEngine: {
    values: Object.values(AutoscalingEngine),
    of: (s: PlatformSettings) => (s.autoscaling.enabled ? s.autoscaling.engine : undefined),
  },
  tlsIssuer: { values: Object.values(TlsIssuerName), of: (s: PlatformSettings) => (s.tls.enabled ? s.tls.issuer : undefined) },
  acmeSolver: {
    values: Object.values(AcmeSolverName),
    of: (s: PlatformSettings) => (s.tls.enabled && s.tls.issuer !== "selfsigned" ? s.tls.solver : undefined),
  },
} as const;
export type Dimension = keyof typeof dimensions;

interface Choices {
  environment: (typeof environments)[number];
  controller: IngressControllerName;
  gatewayWanted: boolean;
  mesh: MeshProvider;
  autoscaling: AutoscalingEngine | "off";
  tls: TlsIssuerName | "off";
  solver: AcmeSolverName;
  dns01Provider: Dns01ProviderName;
}

// noBias: fast-check's default bias favours some indexes of constantFrom, which skewed controllers by 1.5×.
const choices: fc.Arbitrary<Choices> = fc.noBias(
  fc.record({
    environment: fc.constantFrom(...environments),
    controller: fc.constantFrom(...Object.values(IngressControllerName)),
    // Only two controllers serve Gateway API: asking for it more often keeps both APIs comparably frequent.
    gatewayWanted: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    mesh: fc.constantFrom(...Object.values(MeshProvider)),
    autoscaling: fc.constantFrom("off" as const, ...Object.values(AutoscalingEngine)),
    tls: fc.constantFrom("off" as const, ...Object.values(TlsIssuerName)),
    solver: fc.constantFrom(...Object.values(AcmeSolverName)),
    dns01Provider: fc.constantFrom(...Object.values(Dns01ProviderName)),
  }),
);

const section = (name: string) => validFor(platformJsonSchema().properties![name], name) as fc.Arbitrary<Config>;

/** Settle the sections drawn at random so that every rule across sections holds for the given choices. */
function assemble(c: Choices, s: Record<string, Config>, hostList: string[]): Config {
  const app = { ...s.app };
  const ingress: Config = { ...s.ingress, controller: c.controller, hosts: hostList };
  const features = ingressControllers[c.controller]!.features;
  const api: IngressApi = features.apis.includes("gateway") && (c.gatewayWanted || !features.apis.includes("native")) ? "gateway" : "native";
  ingress.api = api;
  for (const feature of ["rateLimit", "maxConnectionsPerClient", "cors"] as const) {
    if (!features[feature].includes(api)) delete ingress[feature];
  }
  if (!features.sessionAffinity.includes(api)) ingress.sessionAffinity = false;
  const cors = ingress.cors as Config | undefined;
  if (cors && (cors.allowOrigins as string[]).includes("*")) cors.allowCredentials = false;
  // NGF's data plane is "websocket-gateway-<class>": a longer class name than its strategy allows is refused.
  if (c.controller === "nginx-gateway-fabric") {
    for (const key of ["className", "gatewayClassName"]) {
      if (typeof ingress[key] === "string") ingress[key] = (ingress[key] as string).slice(0, fabricMaxClassNameLength).replace(/-+$/, "");
    }
  }
  // Wildcard hosts name no page origin: with only those, the allow-list must be given (the rule refuses it otherwise).
  if (hostList.every((h) => h.startsWith("*.")) && ingress.allowedOrigins === undefined && ingress.allowMissingOrigin !== true) {
    ingress.allowedOrigins = ["https://app.example.com"];
  }
  if (features.maxConnectTimeoutSeconds !== undefined && (ingress.connectTimeoutSeconds as number | undefined) !== undefined) {
    ingress.connectTimeoutSeconds = Math.min(ingress.connectTimeoutSeconds as number, features.maxConnectTimeoutSeconds);
  }
  const usesGateway = api === "gateway" || c.controller === "nginx-gateway-fabric";
  if (!usesGateway) delete ingress.gatewayClassName;
  const installs = !(usesGateway && ingress.gatewayClassName !== undefined);
  // A CRD mirror only where the CRDs are installed (refused otherwise).
  if (!usesGateway || !installs || ingress.installGatewayApiCrds === false) delete ingress.gatewayApiCrdsUrl;
  if (installs && c.environment !== "dev" && (ingress.replicas as number | undefined) === 1) ingress.replicas = 2;

  // Drain within the connection lifetime: preStop + window < lifetime.
  const lifetime = (app.connectionLifetimeSeconds as number | undefined) ?? 3600;
  const drain = { preStopSeconds: 10, windowSeconds: 30, ...(app.drain as Config | undefined) } as { preStopSeconds: number; windowSeconds: number };
  drain.preStopSeconds = Math.min(drain.preStopSeconds, lifetime - 2);
  drain.windowSeconds = Math.min(drain.windowSeconds, lifetime - 1 - drain.preStopSeconds);
  app.drain = drain;
  if (app.port !== undefined && app.port === (app.metricsPort ?? 9090)) app.metricsPort = (app.port as number) === 65535 ? 1 : (app.port as number) + 1;
  if (app.metricsPort !== undefined && app.metricsPort === (app.port ?? 8080)) app.port = (app.metricsPort as number) === 65535 ? 1 : (app.metricsPort as number) + 1;

  const tls: Config = { ...s.tls };
  delete tls.dns01;
  if (c.tls === "off") {
    tls.enabled = false;
    if (c.environment !== "dev") tls.allowPlaintextOutsideDev = true;
  } else {
    tls.enabled = true;
    tls.issuer = c.tls;
    if (c.tls !== "selfsigned") {
      tls.email ??= "ops@example.org";
      tls.solver = c.solver;
      if (c.solver === "dns01") tls.dns01 = (s.dns01 as Record<string, Config>)[c.dns01Provider];
    }
  }

  const mesh: Config = { ...s.mesh };
  // The Istio gateway cannot join Linkerd: that draw becomes Istio, so the three meshes stay comparably frequent.
  const provider = c.controller === "istio" && c.mesh === "linkerd" ? "istio" : c.mesh;
  mesh.provider = provider;
  if (provider !== "linkerd") delete mesh.linkerd;
  if (provider !== "istio" && c.controller !== "istio") delete mesh.istio;
  if (mesh.istio !== undefined) {
    const istio = { ...(mesh.istio as Config) };
    if (provider !== "istio" || istio.mode === "ambient") delete istio.proxyResources;
    const gateway = istio.gateway as Config | undefined;
    // The gateway's namespace is not the app's (a rule); the pools draw both from different stems, this covers the rest.
    if ((gateway?.namespace ?? "istio-ingress") === (s.root.namespace ?? "websocket")) istio.gateway = { ...gateway, namespace: "istio-ingress" };
    mesh.istio = istio;
  }
  if (provider === "istio" && c.controller !== "istio") {
    // The controller and the mesh pin a client the same way, on the controller's cookie.
    const istio = { ...((mesh.istio as Config | undefined) ?? {}) };
    const affinity = ingress.sessionAffinity === true;
    istio.loadBalancing = { ...(istio.loadBalancing as Config | undefined), sessionAffinity: affinity, ...(affinity ? { cookieName: affinityCookieName } : {}) };
    mesh.istio = istio;
  }

  const autoscaling: Config = { ...s.autoscaling, enabled: c.autoscaling !== "off" };
  if (c.autoscaling !== "off") autoscaling.engine = c.autoscaling;
  // minReplicas ≤ maxReplicas holds even when autoscaling is off (the schema checks the section as written).
  const floor = autoscaling.enabled && c.environment !== "dev" ? 2 : 1;
  const min = Math.max(floor, (autoscaling.minReplicas as number | undefined) ?? floor);
  autoscaling.minReplicas = min;
  autoscaling.maxReplicas = Math.max(min, (autoscaling.maxReplicas as number | undefined) ?? 20);
  if (autoscaling.enabled) {
    const capacity = (app.maxConnectionsPerPod as number | undefined) ?? 10000;
    if (capacity === 1) app.maxConnectionsPerPod = 2;
    const target = (autoscaling.targetConnectionsPerPod as number | undefined) ?? 1000;
    autoscaling.targetConnectionsPerPod = Math.min(target, ((app.maxConnectionsPerPod as number | undefined) ?? 10000) - 1);
  }

  const smokeTest: Config = { ...s.smokeTest };
  if (tls.enabled && tls.issuer === "selfsigned") delete smokeTest.caPem;

  return {
    ...s.root,
    environment: c.environment,
    app,
    ingress,
    tls,
    mesh,
    autoscaling,
    monitoring: s.monitoring,
    networkPolicy: s.networkPolicy,
    smokeTest,
  };
}

/** Whole platform configs meant to be valid, drawn so every dimension value is comparably frequent. */
export function validConfigArbitrary(): fc.Arbitrary<Config> {
  const json = platformJsonSchema();
  const dns01Node = json.properties!.tls.properties!.dns01.properties!;
  const root = fc.record({ namespace: validFor(json.properties!.namespace, "namespace") }, { requiredKeys: [] });
  const sections = fc.record({
    root: root as fc.Arbitrary<Config>,
    app: section("app").map((app) => ({ ...app, image: app.image ?? goodStrings["app.image"][0] })),
    ingress: section("ingress"),
    tls: section("tls"),
    dns01: fc.record({
      cloudflare: fc.record({ provider: fc.constant("cloudflare"), cloudflare: validFor(dns01Node.cloudflare, "tls.dns01.cloudflare") }),
      route53: fc.record({ provider: fc.constant("route53"), route53: validFor(dns01Node.route53, "tls.dns01.route53") }),
    }),
    mesh: section("mesh"),
    autoscaling: section("autoscaling"),
    monitoring: section("monitoring"),
    networkPolicy: section("networkPolicy").map(uniqueEgressNames),
    smokeTest: section("smokeTest"),
  });
  const hostLists = { wildcards: hosts(true), plain: hosts(false) };
  return fc.tuple(choices, sections).chain(([c, s]) => {
    // Wildcard hosts only where a certificate can still be issued for them (DNS-01, or no ACME at all).
    const acme = c.tls !== "off" && c.tls !== "selfsigned";
    return hostLists[!acme || c.solver === "dns01" ? "wildcards" : "plain"].map((h) => assemble(c, s as Record<string, Config>, h));
  });
}

/** Egress rules become objects named after them: two rules of one name are one user's typo, not a config to render. */
function uniqueEgressNames(networkPolicy: Config): Config {
  const out = { ...networkPolicy };
  for (const key of ["extraEgress", "externalEgress"]) {
    const rules = out[key] as Config[] | undefined;
    if (rules) out[key] = rules.filter((r, i) => rules.findIndex((o) => o.name === r.name) === i);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Broken platforms: a valid one with exactly one key made invalid, and the key remembered.

export interface BrokenConfig {
  config: Config;
  /** The key made invalid, as errors name it (without the `websocket-platform:` prefix). */
  brokenKey: string;
  given: unknown;
}

const shapeBreakers = ["", "UPPER-Case", "has space", "-lead", "trail-", "café", "ünï.example.com", "a_b", "*.*", "💥", "x".repeat(254), "9".repeat(64)];

/** Values the JSON schema itself rejects at this node (checked against its pattern, bounds and choices). */
export function invalidFor(node: JsonSchema): unknown[] {
  if (node.anyOf) return invalidFor(node.anyOf[0]).filter((v) => typeof v === "string" || typeof v === "number");
  // A number is read as its text where a string is wanted: against a string constant only other text breaks it.
  if (node.const !== undefined) return typeof node.const === "string" ? ["Canary"] : ["Canary", 7];
  if (node.enum) {
    const first = String(node.enum[0]);
    return [`not-${first}`, first.toUpperCase(), 7].filter((v) => !node.enum!.includes(v));
  }
  switch (node.type) {
    case "boolean":
      return ["yes", 1];
    case "integer":
    case "number":
      return [
        ...(node.minimum !== undefined ? [node.minimum - 1] : []),
        ...(node.maximum !== undefined ? [node.maximum + 1] : []),
        ...(node.type === "integer" ? [(node.minimum ?? 0) + 0.5] : []),
        "7",
      ];
    case "string": {
      if (node.format === "uri") return ["ftp://files.example.com", "not a url", 17];
      const pattern = node.pattern ? new RegExp(node.pattern) : undefined;
      const bad = shapeBreakers.filter((s) => (pattern !== undefined && !pattern.test(s)) || (node.maxLength !== undefined && s.length > node.maxLength));
      // A number is read as its text where a string is wanted ("123" as a namespace): it breaks the key only if that text does.
      const numberBreaks = pattern !== undefined && !pattern.test("17");
      return [...bad, ...(numberBreaks ? [17] : [])];
    }
    case "array":
      return [...(node.minItems ? [[]] : []), "not-a-list"];
    case "object":
      return ["text", 17];
    default:
      return [];
  }
}

interface BreakTarget {
  path: Path;
  candidates: unknown[];
}

/** Every key present in a config that can be broken alone: leaves, unknown keys in strict objects, bad record keys. */
export function breakTargets(value: unknown, node: JsonSchema, path: Path = []): BreakTarget[] {
  const here = node.anyOf ? node.anyOf[0] : node;
  const targets: BreakTarget[] = [];
  if (path.length > 0) targets.push({ path, candidates: invalidFor(node) });
  if (Array.isArray(value) && here.items) {
    value.forEach((item, i) => targets.push(...breakTargets(item, here.items!, [...path, i])));
  } else if (value !== null && typeof value === "object" && here.type === "object") {
    const entries = Object.entries(value as Config);
    if (here.properties) {
      targets.push({ path: [...path, "unknownKey"], candidates: [1] });
      for (const [k, v] of entries) if (here.properties[k]) targets.push(...breakTargets(v, here.properties[k], [...path, k]));
    } else if (here.propertyNames?.pattern) {
      const keyOk = new RegExp(here.propertyNames.pattern);
      const badKey = ["1 bad key", "Bad/Key/Twice", "-x"].find((k) => !keyOk.test(k));
      if (badKey) targets.push({ path: [...path, badKey], candidates: ["v"] });
    }
  }
  return targets.filter((t) => t.candidates.length > 0);
}

function setAt(config: Config, path: Path, value: unknown): Config {
  const copy = structuredClone(config);
  let node: Record<string | number, unknown> = copy;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
}

/** A valid config with one chosen key broken. */
export function brokenConfigArbitrary(): fc.Arbitrary<BrokenConfig> {
  return validConfigArbitrary().chain((config) => {
    const targets = breakTargets(config, platformJsonSchema());
    return fc
      .constantFrom(...targets)
      .chain((t) => fc.constantFrom(...t.candidates).map((given) => ({ config: setAt(config, t.path, given), brokenKey: keyOf(t.path), given })));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Noisy platforms: anything the schema's shape allows and much it does not, several keys wrong at once.

const noisyStrings = ["", "latest", "UPPER", "has space", "x:latest", "-lead", "a".repeat(70), "*.*", "💥", "xn--bcher-kva"];

function noisyFor(node: JsonSchema, path: string): fc.Arbitrary<unknown> {
  const wrongType = fc.constantFrom<unknown>(null, "text", 17, true, [], {});
  let valid: fc.Arbitrary<unknown>;
  const here = node.anyOf ? node.anyOf[0] : node;
  if (here.type === "object" && here.properties) {
    const record = fc.record(Object.fromEntries(Object.entries(here.properties).map(([k, s]) => [k, noisyFor(s, path ? `${path}.${k}` : k)])), {
      requiredKeys: [],
    });
    valid = fc.oneof({ weight: 12, arbitrary: record }, { weight: 1, arbitrary: record.map((r) => ({ ...(r as object), unknownKey: 1 })) });
  } else if (here.type === "array" && here.items) {
    valid = fc.array(noisyFor(here.items, `${path}[]`), { maxLength: 3 });
  } else if (here.type === "string" && !here.enum) {
    valid = fc.oneof({ weight: 6, arbitrary: validFor(here, path) }, { weight: 1, arbitrary: fc.constantFrom(...noisyStrings) });
  } else if (here.type === "integer" || here.type === "number") {
    valid = fc.oneof({ weight: 8, arbitrary: validFor(here, path) }, { weight: 1, arbitrary: fc.constantFrom(...invalidFor(here)) });
  } else valid = validFor(here, path);
  return fc.oneof({ weight: 15, arbitrary: valid }, { weight: 1, arbitrary: wrongType });
}

/** Configs with any number of wrong keys: each must render or fail with a config error, never anything else. */
export function noisyConfigArbitrary(): fc.Arbitrary<Config> {
  const isObject = (v: unknown): v is Config => v !== null && typeof v === "object" && !Array.isArray(v);
  return noisyFor(platformJsonSchema(), "").filter(isObject);
}
