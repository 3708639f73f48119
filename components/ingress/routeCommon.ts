import * as pulumi from "@pulumi/pulumi";
import { deepMerge, isPlainObject } from "../config/merge";
import { IngressApi } from "../config/schema/ingress";
import { PlatformSettings } from "../config/schema/platform";
import { partOf } from "../labels";
import { objectName } from "../naming";
import { parseDurationSeconds } from "./durations";
import { onceHostsKnown } from "../config/knownHosts";
import { KnownRouteInputs, PathTimeout, RouteInputs } from "./types";

export { affinityCookieName } from "../config/schema/common";


export interface WebSocketRouteArgs {
  /** Controller the route goes through. */
  controller: string;
  /** Route API: native or gateway. */
  api: IngressApi;
}

/** The objects that send the app's WebSocket traffic to its Service, grouped under one component. */
export class WebSocketRoute extends pulumi.ComponentResource {
  public readonly controller: pulumi.Output<string>;
  public readonly api: pulumi.Output<string>;

  constructor(name: string, args: WebSocketRouteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-platform:index:WebSocketRoute", name, {}, opts);
    this.controller = pulumi.output(args.controller);
    this.api = pulumi.output(args.api);
    this.registerOutputs({ controller: this.controller, api: this.api });
  }
}

/** What `build` makes of the route inputs with the hosts known: now when they are plain, when they resolve otherwise. */
export function onceRouteHostsKnown<T>(inputs: RouteInputs, build: (inputs: KnownRouteInputs) => T): T | pulumi.Output<T> {
  return onceHostsKnown(inputs.settings, (settings) => build({ ...inputs, settings }));
}

/** Kubernetes name of a route object: the app's name, plus a suffix for the helpers (middlewares, policies). */
export function routeObjectName(settings: PlatformSettings, suffix = ""): string {
  return objectName(settings.app.name, suffix);
}

export function routeLabels(settings: PlatformSettings): Record<string, string> {
  return {
    "app.kubernetes.io/name": settings.app.name,
    "app.kubernetes.io/component": "route",
    "app.kubernetes.io/part-of": partOf,
    "app.kubernetes.io/managed-by": "pulumi",
  };
}

/** The user's chart values (`ingress.values`). */
export function userValues(settings: { ingress: { values: Record<string, unknown> } }): Record<string, unknown> {
  return settings.ingress.values;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (const key of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * One timeout on the path as it will be installed: ours with the user's values merged over, blamed on
 * `ingress.values.<path>` when the user set it, else on the lifetime it derives from.
 */
export function chartTimeout(
  settings: { ingress: { values: Record<string, unknown> } },
  ours: Record<string, unknown>,
  path: string[],
  what: string,
  bareUnit: "s" | "ms",
  zeroMeansNone = false,
): PathTimeout {
  const user = userValues(settings);
  const given = valueAt(deepMerge(ours, user), path);
  const userSet = valueAt(user, path) !== undefined;
  let seconds = given === null || given === undefined ? undefined : parseDurationSeconds(given, bareUnit);
  if (zeroMeansNone && (seconds === 0 || given === null)) seconds = Number.POSITIVE_INFINITY;
  return { path: userSet ? ["ingress", "values", ...path] : ["ingress", "connectionLifetimeSeconds"], what, seconds, given };
}

/** Origins as one comma-separated header value. */
export function originList(origins: string[]): string {
  return origins.join(", ");
}
