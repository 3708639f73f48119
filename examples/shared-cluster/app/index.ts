import * as pulumi from "@pulumi/pulumi";
import { ClusterReference, WebSocketService } from "websocket-platform";

/** Run by an app team, one stack per app: everything the app owns, on the cluster another stack set up. */
export = async () => {
  const config = new pulumi.Config();
  const clusterStack = new pulumi.StackReference(config.require("clusterStack"));
  // Awaited before construction: the reference decides which objects exist (WebSocketService validates it).
  const reference = (await clusterStack.requireOutputValue("reference")) as ClusterReference;
  const chat = new WebSocketService("chat", {
    cluster: reference,
    environment: "prod",
    namespace: "chat",
    app: { name: "chat", image: "ghcr.io/acme/chat:1.4.2", replicas: 3, connectionLifetimeSeconds: 3600 },
    ingress: { hosts: [config.require("host")] },
    tls: { issuer: "letsencrypt", email: config.require("acmeEmail") },
    autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 12 },
  });
  return { urls: chat.urls, serviceName: chat.serviceName, tlsSecretName: chat.tlsSecretName };
};
