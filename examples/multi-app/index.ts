import { WebSocketCluster, WebSocketService } from "websocket-platform";

/** Three apps on one controller, one cert-manager and one KEDA, in one program. */
export = async () => {
  const cluster = new WebSocketCluster("shared", { environment: "prod", ingress: { controller: "nginx-gateway-fabric" }, autoscaling: { enabled: true } });
  const apps = [
    { name: "chat", host: "chat.example.com", replicas: 3 },
    { name: "feed", host: "feed.example.com", replicas: 2 },
    { name: "presence", host: "presence.example.com", replicas: 2 },
  ].map(
    (app) =>
      new WebSocketService(
        app.name,
        {
          cluster: cluster.reference,
          environment: "prod",
          namespace: app.name,
          app: { name: app.name, image: `ghcr.io/acme/${app.name}:2.0.1`, replicas: app.replicas },
          ingress: { hosts: [app.host] },
          tls: { issuer: "letsencrypt", email: "platform@example.com" },
          autoscaling: { enabled: true, minReplicas: app.replicas, maxReplicas: 10 },
        },
        // In one program the app's objects wait for exactly what they need of the cluster part.
        { clusterPart: cluster },
      ),
  );
  return { reference: cluster.reference, urls: apps.map((a) => a.urls) };
};
