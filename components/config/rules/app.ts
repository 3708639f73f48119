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
  [...Object.entries(config.app.env).map(([name, value]) => ["env", name, value] as const), ...Object.keys(config.app.envFromSecrets).map((name) => ["envFromSecrets", name, "a secretKeyRef"] as const)]
    .filter(([, name]) => reservedNames.includes(name))
    .map(
      ([key, name, value]): RuleProblem => ({
        path: ["app", key, name],
        given: value,
        allowed: `a name other than those the platform sets from app.* (${reservedNames.join(", ")}): set the app.* key instead`,
      }),
    );

/** One variable, one source: a name in both app.env and app.envFromSecrets would leave the container with either. */
const envSourcesDistinct: PlatformRule = (config) =>
  Object.keys(config.app.envFromSecrets)
    .filter((name) => name in config.app.env)
    .map((name): RuleProblem => ({ path: ["app", "envFromSecrets", name], given: "a secretKeyRef", allowed: `a name not also in app.env (${name} is set there)` }));

export const appRules: PlatformRule[] = [drainFitsLifetime, envKeepsRuntimeNames, envSourcesDistinct];
