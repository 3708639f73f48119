import { PlatformArgs } from "../components/config/schema/platform";
import { objectsOf, renderPlatformArgs } from "./support/render";

const render = (args: Partial<PlatformArgs>) =>
  renderPlatformArgs("ws", {
    environment: "prod",
    namespace: "rt",
    app: { name: "chat", image: "ghcr.io/acme/chat:1.4.2" },
    ingress: { controller: "traefik", hosts: ["ws.example.com"] },
    tls: { email: "ops@example.org" },
    ...args,
  });

const namespaceOf = async (args: Partial<PlatformArgs>, name: string) =>
  objectsOf(await render(args), "Namespace").find((n) => n.metadata.name === name)!;

describe("the ingress controller joins the app's mesh, or the mesh's authorization would not admit it", () => {
  test.each([
    ["traefik", "traefik"],
    ["nginx", "ingress-nginx"],
    ["haproxy", "haproxy-controller"],
    ["nginx-gateway-fabric", "nginx-gateway"],
  ] as const)("linkerd: %s's namespace is annotated for proxy injection", async (controller, namespace) => {
    const ns = await namespaceOf({ ingress: { controller, hosts: ["ws.example.com"] }, mesh: { provider: "linkerd" } }, namespace);
    expect(ns.metadata.annotations).toMatchObject({ "linkerd.io/inject": "enabled" });
    expect(ns.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
  });

  test("istio sidecar mode: the controller's namespace carries the injection label", async () => {
    const ns = await namespaceOf({ mesh: { provider: "istio" } }, "traefik");
    expect(ns.metadata.labels).toMatchObject({ "istio-injection": "enabled" });
  });

  test("no mesh: the controller's namespace is left alone", async () => {
    const ns = await namespaceOf({}, "traefik");
    expect(ns.metadata.annotations).toBeUndefined();
    expect(Object.keys(ns.metadata.labels ?? {}).filter((k) => k.includes("istio") || k.includes("linkerd"))).toEqual([]);
  });
});
