import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { WebSocketPlatform } from "websocket-platform";

const config = new pulumi.Config();

// This stack's own connection to its cluster: a named kubeconfig context, never whatever KUBECONFIG happens to select.
const cluster = new k8s.Provider("chat-cluster", {
  context: config.get("kubeContext"),
  // Objects without a namespace would land in "default"; the platform names its namespace, so nothing should.
  namespace: "chat",
});

const chat = new WebSocketPlatform(
  "chat",
  {
    environment: "staging",
    namespace: "chat",
    app: {
      name: "chat",
      image: "ghcr.io/websocket-platform/echo-server:0.1.0",
      replicas: 2,
      connectionLifetimeSeconds: 7200,
    },
    ingress: { controller: "traefik", hosts: ["chat.example.com"] },
    tls: { email: "platform-team@example.com" },
  },
  // Every child of the platform, Helm releases included, goes through this provider.
  { providers: { kubernetes: cluster } },
);

export const namespace = chat.namespace;
export const serviceName = chat.serviceName;
export const urls = chat.urls;
