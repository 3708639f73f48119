import { IngressControllerName } from "../../components/config/schema/ingress";
import { ingressControllers } from "../../components/ingress/registry";

/** A registered controller other than istio (Linkerd cannot mesh the Istio gateway). */
export function nonIstioController(): { name: IngressControllerName; restore: () => void } {
  const name = (Object.keys(ingressControllers) as IngressControllerName[]).find((n) => n !== "istio")!;
  return { name, restore: () => undefined };
}
