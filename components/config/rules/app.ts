import { PlatformRule } from "./types";

/** The drain must finish within the lifetime budget the ingress gives a connection, or rollouts cut clients. */
const drainFitsLifetime: PlatformRule = (config) =>
  config.app.drain.preStopSeconds + config.app.drain.windowSeconds >= config.app.connectionLifetimeSeconds
    ? [
        {
          path: ["app", "drain", "windowSeconds"],
          given: config.app.drain.windowSeconds,
          allowed: `preStopSeconds + windowSeconds below app.connectionLifetimeSeconds (${config.app.connectionLifetimeSeconds})`,
        },
      ]
    : [];

export const appRules: PlatformRule[] = [drainFitsLifetime];
