import { Fixture } from "./harness";

const ns = "websocket";
const labels = { "app.kubernetes.io/name": "chat", "app.kubernetes.io/instance": "chat" };

/** A small prod platform that every policy accepts: the baseline each bad fixture breaks in exactly one way. */
export function goodStack(): Fixture[] {
  return [
    {
      type: "kubernetes:core/v1:Namespace",
      name: "ns",
      props: { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
    },
    {
      type: "kubernetes:core/v1:Service",
      name: "svc",
      props: {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "chat", namespace: ns },
        spec: { selector: labels, ports: [{ name: "websocket", port: 8080, appProtocol: "kubernetes.io/ws" }] },
      },
    },
    {
      type: "kubernetes:apps/v1:Deployment",
      name: "deploy",
      props: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "chat", namespace: ns },
        spec: {
          replicas: 3,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels: { ...labels, "app.kubernetes.io/component": "server" } },
            spec: {
              terminationGracePeriodSeconds: 45,
              securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
              containers: [
                {
                  name: "app",
                  image: "ghcr.io/example/chat:1.4.2",
                  ports: [{ name: "websocket", containerPort: 8080 }],
                  lifecycle: { preStop: { sleep: { seconds: 10 } } },
                  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
                },
              ],
              volumes: [{ name: "tmp", emptyDir: {} }],
            },
          },
        },
      },
    },
    {
      type: "kubernetes:policy/v1:PodDisruptionBudget",
      name: "pdb",
      props: { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "chat", namespace: ns }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
    },
    {
      type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      name: "deny",
      props: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "default-deny", namespace: ns }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
    },
    {
      type: "kubernetes:helm.sh/v3:Release",
      name: "ingress-nginx",
      props: {
        chart: "ingress-nginx",
        version: "4.15.1",
        repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" },
        values: { controller: { allowSnippetAnnotations: false, config: { "proxy-read-timeout": "3600", "proxy-send-timeout": "3600" } } },
      },
    },
    {
      type: "kubernetes:networking.k8s.io/v1:Ingress",
      name: "ingress",
      props: {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: { name: "chat", namespace: ns, annotations: { "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600", "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600" } },
        spec: {
          ingressClassName: "nginx",
          tls: [{ hosts: ["chat.example.com"], secretName: "chat-tls" }],
          rules: [{ host: "chat.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "chat", port: { name: "websocket" } } } }] } }],
        },
      },
    },
  ];
}

/** The baseline with one resource changed (by Pulumi name) and extra resources added. */
export function withChange(change: { name?: string; edit?: (props: Record<string, any>) => void; remove?: boolean; add?: Fixture[] }): Fixture[] {
  const stack = goodStack().filter((f) => !(change.remove && f.name === change.name));
  if (change.edit) {
    const target = stack.find((f) => f.name === change.name);
    if (!target) throw new Error(`no fixture named ${change.name}`);
    change.edit(target.props);
  }
  return [...stack, ...(change.add ?? [])];
}

export const wsNamespace = ns;
