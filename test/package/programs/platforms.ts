// A TypeScript consumer (tsc, module/moduleResolution node16): two WebSocketPlatforms from the installed package.
import { type PlatformArgs, WebSocketPlatform } from "websocket-platform";

for (const app of ["chat", "feed"]) {
  const args: PlatformArgs = {
    environment: "prod",
    namespace: app,
    app: { name: app, image: `ghcr.io/acme/${app}:1.4.2` },
    ingress: { controller: "traefik", hosts: [`${app}.example.com`] },
    tls: { email: "ops@example.com" },
  };
  new WebSocketPlatform(app, args);
}
