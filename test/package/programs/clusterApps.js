// A plain JavaScript consumer of the cluster/app split: one shared cluster part, two app parts that read its reference.
"use strict";
const { WebSocketCluster, WebSocketService } = require("websocket-platform");

const cluster = new WebSocketCluster("shared", { environment: "prod", ingress: { controller: "traefik" } });
for (const app of ["chat", "feed"]) {
  new WebSocketService(app, {
    cluster: cluster.reference,
    environment: "prod",
    namespace: app,
    app: { name: app, image: `ghcr.io/acme/${app}:1.4.2` },
    ingress: { hosts: [`${app}.example.com`] },
    tls: { issuer: "letsencrypt", email: "ops@example.com" },
  });
}
