import { createHash } from "crypto";
import { KubernetesObject } from "../../tools/kubernetesObjects";

/** Longest name NGF gives what its control plane creates (a Service name, a 63-character label). */
const maxNameLength = 63;
const gatewayNameLabel = "gateway.networking.k8s.io/gateway-name";

/** NGF's `<prefix>-<suffix>` for the objects it provisions; too long, the prefix is cut and an 8-hex hash of the whole inserted. */
export function nginxResourceName(prefix: string, suffix: string): string {
  const full = `${prefix}-${suffix}`;
  if (full.length <= maxNameLength) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
  const room = maxNameLength - 2 - hash.length - suffix.length;
  return `${prefix.slice(0, room).replace(/-+$/, "")}-${hash}-${suffix}`;
}

export interface DataPlaneInputs {
  /** The control plane's INSTANCE_NAME: its own pod's app.kubernetes.io/instance label. */
  instance: string;
  /** The control plane's --gatewayclass. */
  gatewayClassName: string;
  gateway: { name: string; namespace: string; infrastructureLabels?: Record<string, string> };
}

/** The labels NGINX Gateway Fabric 2.6.7's provisioner puts on a Gateway's data-plane pods (and its Deployment selector). */
export function dataPlanePodLabels(inputs: DataPlaneInputs): Record<string, string> {
  const labels: Record<string, string> = {
    "app.kubernetes.io/instance": inputs.instance,
    "app.kubernetes.io/managed-by": nginxResourceName(inputs.instance, inputs.gatewayClassName),
    "app.kubernetes.io/name": nginxResourceName(inputs.gateway.name, inputs.gatewayClassName),
  };
  // A longer Gateway name goes to an annotation instead: a label value holds 63 characters.
  if (inputs.gateway.name.length <= maxNameLength) labels[gatewayNameLabel] = inputs.gateway.name;
  return { ...labels, ...(inputs.gateway.infrastructureLabels ?? {}) };
}

/**
 * What the provisioner reads, taken from the rendered objects: INSTANCE_NAME (a downward-API reference to a label of the
 * control plane's pod), --gatewayclass from its arguments, and the Gateway of that class the program creates.
 */
export function dataPlaneInputs(chartObjects: KubernetesObject[], programObjects: KubernetesObject[]): DataPlaneInputs {
  const controlPlane = chartObjects.find((o) => o.kind === "Deployment" && ((o.spec as any)?.template?.spec?.containers ?? []).some((c: any) => c.name === "nginx-gateway"));
  if (!controlPlane) throw new Error("no NGINX Gateway Fabric control-plane Deployment in the chart's objects");
  const template = (controlPlane.spec as any).template;
  const container = template.spec.containers.find((c: any) => c.name === "nginx-gateway");
  const instanceEnv = (container.env ?? []).find((e: any) => e.name === "INSTANCE_NAME");
  const fieldPath: string | undefined = instanceEnv?.valueFrom?.fieldRef?.fieldPath;
  const labelKey = /^metadata\.labels\['(.+)'\]$/.exec(fieldPath ?? "")?.[1];
  if (!labelKey) throw new Error(`INSTANCE_NAME is not a pod label reference: ${JSON.stringify(instanceEnv)}`);
  const instance = template.metadata?.labels?.[labelKey];
  if (typeof instance !== "string") throw new Error(`the control-plane pod has no ${labelKey} label`);
  const classArg = (container.args ?? []).find((a: string) => a.startsWith("--gatewayclass="));
  if (!classArg) throw new Error("the control plane has no --gatewayclass argument");
  const gatewayClassName = classArg.slice("--gatewayclass=".length);
  const gateways = programObjects.filter((o) => o.kind === "Gateway" && (o.spec as any)?.gatewayClassName === gatewayClassName);
  if (gateways.length !== 1) throw new Error(`expected one Gateway of class ${gatewayClassName}, found ${gateways.length}`);
  const gateway = gateways[0];
  return {
    instance,
    gatewayClassName,
    gateway: { name: String(gateway.metadata.name), namespace: String(gateway.metadata.namespace), infrastructureLabels: (gateway.spec as any)?.infrastructure?.labels },
  };
}
