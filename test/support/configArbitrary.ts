import fc from "fast-check";
import { z } from "zod";
import { platformSchema } from "../../components/config/schema/platform";

interface JsonSchema {
  type?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  minimum?: number;
  maximum?: number;
  minItems?: number;
}

/** Known-good strings for keys whose validity a generic generator would rarely hit. */
const goodStrings: Record<string, string[]> = {
  "app.image": ["ghcr.io/acme/chat:1.4.2", `chat@sha256:${"b".repeat(64)}`],
  "ingress.hosts[]": ["ws.example.com", "chat.example.org", "*.example.com"],
  namespace: ["websocket", "rt-prod"],
  "tls.email": ["ops@example.org"],
  "tls.secretName": ["ws-tls"],
  "tls.certManager.namespace": ["cert-manager"],
  "tls.dns01.cloudflare.apiTokenSecretRef.name": ["cloudflare-token"],
  "tls.dns01.route53.region": ["eu-west-1"],
  "tls.dns01.route53.hostedZoneID": ["Z0123456789ABC"],
  "tls.dns01.route53.role": ["arn:aws:iam::123456789012:role/dns"],
  "tls.dns01.route53.accessKeyIDSecretRef.name": ["route53-credentials"],
  "tls.dns01.route53.secretAccessKeySecretRef.name": ["route53-credentials"],
  "autoscaling.installNamespace": ["keda", "autoscaling"],
  "autoscaling.prometheusUrl": ["http://prometheus-operated.monitoring.svc:9090", "https://thanos.example.com/api"],
  "monitoring.dashboard.namespace": ["monitoring"],
  "monitoring.scrapeInterval": ["15s", "1m"],
  "app.resources.limits.cpu": ["1", "2"],
  "mesh.istio.proxyResources.cpuRequest": ["100m"],
  "mesh.istio.proxyResources.memoryRequest": ["128Mi"],
  "mesh.istio.proxyResources.cpuLimit": ["1"],
  "mesh.istio.proxyResources.memoryLimit": ["256Mi"],
  "mesh.linkerd.proxyResources.cpuRequest": ["50m"],
  "mesh.linkerd.proxyResources.memoryRequest": ["32Mi"],
  "mesh.linkerd.proxyResources.cpuLimit": ["500m"],
  "mesh.linkerd.proxyResources.memoryLimit": ["128Mi"],
  "mesh.clients[].namespace": ["bots"],
  "mesh.clients[].serviceAccount": ["ticker"],
  "mesh.istio.revision": ["", "canary"],
  "mesh.linkerd.vizNamespace": ["linkerd-viz", ""],
  "networkPolicy.extraEgress[].name": ["redis", "nats", "kafka"],
  "networkPolicy.extraEgress[].namespace": ["redis"],
  "networkPolicy.externalEgress[].name": ["postgres", "vault", "smtp"],
  "networkPolicy.externalEgress[].cidr": ["10.20.0.0/16"],
  "app.resources.requests.cpu": ["250m", "1"],
  "app.resources.requests.memory": ["256Mi"],
  "app.resources.limits.memory": ["1Gi"],
  "ingress.namespace": ["ingress-system", "edge"],
  "ingress.className": ["public", "edge"],
  "ingress.gatewayClassName": ["shared-gateway"],
  "ingress.cors.allowOrigins[]": ["https://app.example.com", "https://*.example.org", "*"],
  "ingress.cors.allowMethods[]": ["GET", "OPTIONS"],
  "ingress.cors.allowHeaders[]": ["Authorization", "Content-Type"],
  "smokeTest.address": ["traefik.traefik.svc.cluster.local:443"],
  "smokeTest.caPem": ["-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"],
};
const badStrings = ["", "latest", "UPPER", "has space", "x:latest", "-lead", "a".repeat(70), "*.*", "💥"];

interface Mode {
  /** Noisy: wrong types, out-of-range numbers, bad strings and unknown keys mixed in. */
  noisy: boolean;
}

function leafStrings(path: string, schema: JsonSchema, mode: Mode): fc.Arbitrary<unknown> {
  const good = [...(goodStrings[path] ?? []), ...(typeof schema.default === "string" ? [schema.default] : [])];
  if (!mode.noisy && good.length > 0) return fc.constantFrom(...good);
  return good.length > 0
    ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constantFrom(...badStrings) })
    : fc.oneof(fc.constantFrom(...badStrings), fc.string({ maxLength: 12 }));
}

function numbers(node: JsonSchema, mode: Mode): fc.Arbitrary<unknown> {
  const min = Math.max(node.minimum ?? -5, -1_000_000);
  const max = Math.min(node.maximum ?? 100_000, 1_000_000);
  const inRange = fc.integer({ min, max });
  if (!mode.noisy) {
    const def = typeof node.default === "number" ? node.default : min;
    return fc.oneof({ weight: 3, arbitrary: fc.constant(def) }, { weight: 1, arbitrary: fc.integer({ min, max: Math.min(max, Math.max(min, def) * 2 + 1) }) });
  }
  return fc.oneof({ weight: 8, arbitrary: inRange }, { weight: 1, arbitrary: fc.constantFrom(min - 1, max + 1, 1.5) });
}

/** Values for one schema node; in noisy mode sometimes out of range, of the wrong type, or an unknown key. */
export function arbitraryFor(schema: JsonSchema, path: string, mode: Mode): fc.Arbitrary<unknown> {
  const node = schema.anyOf ? schema.anyOf[0] : schema;
  const wrongType = fc.constantFrom<unknown>(null, "text", 17, true, [], {});
  let valid: fc.Arbitrary<unknown>;
  if (node.enum) valid = fc.constantFrom(...node.enum);
  else if (node.type === "boolean") valid = fc.boolean();
  else if (node.type === "integer" || node.type === "number") valid = numbers(node, mode);
  else if (node.type === "string") valid = leafStrings(path, node, mode);
  else if (node.type === "array" && node.items) {
    valid = fc.array(arbitraryFor(node.items, `${path}[]`, mode), { minLength: mode.noisy ? 0 : Math.max(1, node.minItems ?? 0), maxLength: 3 });
  } else if (node.type === "object" && node.properties) {
    const entries = Object.entries(node.properties).map(([k, s]) => [k, arbitraryFor(s, path ? `${path}.${k}` : k, mode)] as const);
    const required = mode.noisy ? [] : ((node as { required?: string[] }).required ?? []);
    const record = fc.record(Object.fromEntries(entries), { requiredKeys: required });
    valid = mode.noisy
      ? fc.oneof({ weight: 12, arbitrary: record }, { weight: 1, arbitrary: record.map((r) => ({ ...(r as object), unknownKey: 1 })) })
      : record;
  } else if (node.type === "object") {
    valid = mode.noisy
      ? fc.dictionary(fc.constantFrom("A", "B_2", "bad-key"), fc.string({ maxLength: 5 }), { maxKeys: 2 })
      : fc.dictionary(fc.constantFrom("LOG_LEVEL", "REGION"), fc.constantFrom("info", "eu-west-1"), { maxKeys: 2 });
  } else valid = fc.anything({ maxDepth: 1 });
  return mode.noisy ? fc.oneof({ weight: 15, arbitrary: valid }, { weight: 1, arbitrary: wrongType }) : valid;
}

/** Whole platform configs derived from the one schema (minimal, leaning valid, or noisy), so every section a part adds is fuzzed too. */
export function platformConfigArbitrary(): fc.Arbitrary<Record<string, unknown>> {
  const json = z.toJSONSchema(platformSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  // Minimal configs (required keys, every environment and controller) keep valid renders common as cross-section rules grow.
  const minimal = fc.record({
    environment: fc.constantFrom("dev", "staging", "prod"),
    app: fc.record({ image: fc.constantFrom(...goodStrings["app.image"]) }),
    ingress: fc.record({ controller: fc.constantFrom(...(json.properties!.ingress.properties!.controller.enum ?? [])), hosts: fc.constant(["ws.example.com"]) }),
    tls: fc.record({ email: fc.constant("ops@example.org") }),
  });
  return fc.oneof(minimal, arbitraryFor(json, "", { noisy: false }), arbitraryFor(json, "", { noisy: true })).filter(isObject);
}
