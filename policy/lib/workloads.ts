import { PolicySubject, metadataOf, serviceSelects, types } from "./resources";

/** Standard application protocols of WebSocket ports (KEP-3726), the mark that a Service carries WebSocket traffic. */
export const webSocketAppProtocols = ["kubernetes.io/ws", "kubernetes.io/wss"];

/** The pod template of a workload kind, or the pod spec of a Pod; undefined for anything else. */
export function podTemplateOf(subject: PolicySubject): { labels: Record<string, string>; spec: any } | undefined {
  const p = subject.props;
  switch (subject.type) {
    case types.pod:
      return { labels: p.metadata?.labels ?? {}, spec: p.spec ?? {} };
    case types.cronJob:
      return templateParts(p.spec?.jobTemplate?.spec?.template);
    case types.deployment:
    case types.statefulSet:
    case types.daemonSet:
    case types.replicaSet:
    case types.job:
      return templateParts(p.spec?.template);
    default:
      return undefined;
  }
}

function templateParts(template: any): { labels: Record<string, string>; spec: any } | undefined {
  return template ? { labels: template.metadata?.labels ?? {}, spec: template.spec ?? {} } : undefined;
}

/** Every container of a pod spec, init and ephemeral ones included. */
export function allContainers(spec: any): any[] {
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...(spec?.ephemeralContainers ?? [])];
}

export interface WebSocketWorkload {
  deployment: PolicySubject;
  namespace: string | undefined;
  podLabels: Record<string, string>;
  podSpec: any;
  services: PolicySubject[];
}

export function isWebSocketService(service: PolicySubject): boolean {
  return (service.props.spec?.ports ?? []).some((p: any) => webSocketAppProtocols.includes(p.appProtocol));
}

/** Deployments behind a Service with a WebSocket port: the workloads the WebSocket readiness policies are about. */
export function webSocketWorkloads(subjects: PolicySubject[]): WebSocketWorkload[] {
  const services = subjects.filter((s) => s.type === types.service && isWebSocketService(s));
  const result: WebSocketWorkload[] = [];
  for (const deployment of subjects.filter((s) => s.type === types.deployment)) {
    const template = podTemplateOf(deployment)!;
    const namespace = metadataOf(deployment).namespace;
    const selecting = services.filter(
      (svc) => metadataOf(svc).namespace === namespace && serviceSelects(svc.props.spec?.selector, template.labels),
    );
    if (selecting.length > 0) result.push({ deployment, namespace, podLabels: template.labels, podSpec: template.spec, services: selecting });
  }
  return result;
}

/** `namespace/name` of the WebSocket Services, the key routes and mesh rules are matched on. */
export function webSocketServiceKeys(subjects: PolicySubject[]): Set<string> {
  return new Set(
    subjects
      .filter((s) => s.type === types.service && isWebSocketService(s))
      .map((s) => `${metadataOf(s).namespace ?? ""}/${metadataOf(s).name ?? s.name}`),
  );
}
