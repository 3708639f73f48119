// A plain JavaScript consumer: two WebSocketPlatforms (one app each) in different namespaces, from the installed package.
"use strict";
const { WebSocketPlatform } = require("websocket-platform");

for (const app of ["chat", "feed"]) {
  new WebSocketPlatform(app, {
    environment: "prod",
    namespace: app,
    app: { name: app, image: `ghcr.io/acme/${app}:1.4.2` },
    ingress: { controller: "traefik", hosts: [`${app}.example.com`] },
    tls: { email: "ops@example.com" },
  });
}
