import { runtimeEnvironmentNames } from "../../app/runtimeEnvironmentNames";
import { PlatformRule, RuleProblem } from "./types";

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

const reservedNames: readonly string[] = Object.values(runtimeEnvironmentNames);

/** The container gets these from app.* keys; a second value in app.env would make the server and the probes disagree. */
const envKeepsRuntimeNames: PlatformRule = (config) =>
  Object.entries(config.app.env)
    .filter(([name]) => reservedNames.includes(name))
    .map(
      ([name, value]): RuleProblem => ({
        path: ["app", "env", name],
        given: value,
        allowed: `a name other than those the platform sets from app.* (${reservedNames.join(", ")}): set the app.* key instead`,
      }),
    );

export const appRules: PlatformRule[] = [drainFitsLifetime, envKeepsRuntimeNames];
