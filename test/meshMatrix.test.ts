import * as fs from "fs";
import * as path from "path";
import { isConfigError } from "../components/config/configError";
import { IngressControllerName } from "../components/config/schema/ingress";
import { PlatformArgs } from "../components/config/schema/platform";
import { ingressControllers } from "../components/ingress/registry";
import { KubernetesObject, kubernetesObjects } from "../tools/kubernetesObjects";
import { settlePlatform } from "./support/render";
import { crdSchemaDir, validateObjects } from "./support/schemas";

// Values Linkerd documents for fields its CRD schema leaves as free strings (linkerd.io 2-edge reference/authorization-policy.md).
const documentedProxyProtocols = ["unknown", "HTTP/1", "HTTP/2", "gRPC", "opaque", "TLS"];
const documentedAccessPolicies = ["all-unauthenticated", "all-authenticated", "cluster-authenticated", "cluster-unauthenticated", "deny", "audit"];

const meshes: Record<string, PlatformArgs["mesh"]> = {
  none: { provider: "none" },
  // Mesh affinity must match the controller's (a config rule); its DestinationRule is validated in mesh.test.ts.
  "istio sidecar": { provider: "istio", clients: [{ namespace: "bots", serviceAccount: "ticker" }] },
  "istio ambient": { provider: "istio", istio: { mode: "ambient" } },
  linkerd: { provider: "linkerd", clients: [{ namespace: "bots", serviceAccount: "ticker" }] },
};

/** Every controller the registry has. */
const controllers = Object.keys(ingressControllers) as IngressControllerName[];

/** Field paths of an object that its schema marks "Deprecated" (upstream says: emit none). */
function deprecatedFields(value: unknown, schema: any, at: string): string[] {
  if (!schema || value === null || typeof value !== "object") return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => deprecatedFields(v, schema.items, `${at}[${i}]`));
  const found: string[] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const prop = schema.properties?.[key] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
    if (typeof prop?.description === "string" && /^deprecated/i.test(prop.description.trim())) found.push(`${at}.${key}`);
    found.push(...deprecatedFields(child, prop, `${at}.${key}`));
  }
  return found;
}

function crdSchema(o: KubernetesObject): any {
  const [group, version] = o.apiVersion.split("/");
  const file = path.join(crdSchemaDir, group, `${o.kind.toLowerCase()}_${version}.json`);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined;
}

test("the deprecated-field check finds a field upstream marks Deprecated", () => {
  const rule = { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: "x" } } as KubernetesObject;
  const schema = crdSchema(rule);
  const withDeprecated = { ...rule, spec: { host: "a", trafficPolicy: { loadBalancer: { consistentHash: { minimumRingSize: 1024 } } } } };
  expect(deprecatedFields(withDeprecated, schema, "dr")).toEqual(["dr.spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize"]);
});

const cases = controllers.flatMap((controller) => Object.keys(meshes).map((mesh) => [controller, mesh] as const));

describe.each(cases)("controller %s × mesh %s", (controller, mesh) => {
  const args: PlatformArgs = {
    environment: "prod",
    namespace: "rt",
    app: { name: "chat", image: "ghcr.io/acme/chat:1.4.2" },
    ingress: { controller, hosts: ["ws.example.com"] },
    tls: { email: "ops@example.org" },
    mesh: meshes[mesh],
    networkPolicy: { extraEgress: [{ name: "redis", namespace: "redis", ports: [{ port: 6379 }] }] },
  };
  const invalid = controller === "istio" && mesh === "linkerd";

  test(invalid ? "is refused at preview: the Istio gateway cannot join Linkerd" : "renders objects that pass the strict schemas, with no deprecated field", async () => {
    const run = await settlePlatform("ws", args, "matrix");
    const objects = kubernetesObjects(run.resources);
    if (invalid) {
      expect(isConfigError(run.error)).toBe(true);
      expect((run.error as Error).message).toContain("mesh.provider");
      expect(objects).toEqual([]);
      return;
    }
    expect(run.error).toBeUndefined();
    expect(validateObjects(objects)).toEqual([]);
    const custom = objects.filter((o) => o.apiVersion.includes(".") && !o.apiVersion.endsWith(".k8s.io/v1"));
    expect(custom.flatMap((o) => deprecatedFields(o, crdSchema(o), `${o.kind}/${o.metadata.name}`))).toEqual([]);

    // What the CRD schema cannot say: Linkerd's string fields take documented values only.
    for (const server of objects.filter((o) => o.kind === "Server")) {
      const spec = server.spec as { proxyProtocol: string; accessPolicy?: string };
      expect(documentedProxyProtocols).toContain(spec.proxyProtocol);
      if (spec.accessPolicy !== undefined) expect(documentedAccessPolicies).toContain(spec.accessPolicy);
    }
    const pod = (objects.find((o) => o.kind === "Deployment")!.spec as any).template.metadata;
    const inbound = pod.annotations?.["config.linkerd.io/default-inbound-policy"];
    if (inbound !== undefined) expect(documentedAccessPolicies).toContain(inbound);

    // The mesh's objects exist exactly when a mesh is on, and always in the app namespace.
    const meshKinds = ["PeerAuthentication", "Server", "AuthorizationPolicy", "MeshTLSAuthentication"];
    const meshObjects = objects.filter((o) => meshKinds.includes(o.kind));
    expect(meshObjects.length > 0).toBe(mesh !== "none");
    expect(new Set(meshObjects.map((o) => o.metadata.namespace))).toEqual(new Set(mesh === "none" ? [] : ["rt"]));
    expect(objects.filter((o) => o.kind === "NetworkPolicy").length).toBeGreaterThanOrEqual(5);
  });
});
