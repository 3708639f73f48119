import { IngressControllerName } from "../../components/config/schema/ingress";
import { ingressControllers } from "../../components/ingress/registry";
import { IngressController } from "../../components/ingress/types";

/** A controller strategy that installs nothing: stands in for a non-Istio controller when none is registered on this branch. */
export const stubController = (name: IngressControllerName): IngressController => ({
  name,
  install: () => ({
    controller: name,
    className: "stub",
    namespace: "ingress-stub",
    podLabels: { "app.kubernetes.io/name": "stub-controller" },
    serviceAccountName: "stub-controller",
    tlsSecretNamespace: "ingress-stub",
    routeApi: "ingress",
    readyResources: [],
  }),
  route: () => [],
  acmeHttp01Solver: () => ({}),
});

/** A registered controller other than istio (Linkerd cannot mesh the Istio gateway), registering the stub when there is none. */
export function nonIstioController(): { name: IngressControllerName; restore: () => void } {
  const registered = (Object.keys(ingressControllers) as IngressControllerName[]).find((n) => n !== "istio");
  if (registered) return { name: registered, restore: () => undefined };
  ingressControllers.nginx = stubController("nginx");
  return { name: "nginx", restore: () => delete ingressControllers.nginx };
}
