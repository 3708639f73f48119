// A TypeScript consumer of the cluster/app split (tsc, node16): the reference is a plain value another stack could hold.
import { ClusterReference, WebSocketCluster, WebSocketService } from "websocket-platform";

const cluster = new WebSocketCluster("shared", { environment: "prod", ingress: { controller: "traefik" } });
const reference: ClusterReference = cluster.reference;
for (const app of ["chat", "feed"]) {
  new WebSocketService(app, {
    cluster: reference,
    environment: "prod",
    namespace: app,
    app: { name: app, image: `ghcr.io/acme/${app}:1.4.2` },
    ingress: { hosts: [`${app}.example.com`] },
    tls: { issuer: "letsencrypt", email: "ops@example.com" },
  });
}
