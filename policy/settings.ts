/** Environments the platform knows; TLS is optional only in dev. */
export const policyEnvironments = ["dev", "staging", "prod"] as const;
export type PolicyEnvironment = (typeof policyEnvironments)[number];

/** What the policies compare against: the stack's environment and the WebSocket connection lifetime. */
export interface PolicySettings {
  environment: PolicyEnvironment;
  /** Longest expected life of one WebSocket connection; every timeout on the path must be at least this. */
  connectionLifetimeSeconds: number;
  /** Seconds a pod must keep for closing connections after SIGTERM, beyond its preStop wait. */
  minDrainWindowSeconds: number;
}

/** The component's own defaults (components/config/schema/app.ts), used when the stack config says nothing. */
export const defaultSettings: PolicySettings = { environment: "prod", connectionLifetimeSeconds: 3600, minDrainWindowSeconds: 5 };

/**
 * Settings from the stack's config as the Pulumi CLI hands it to a policy pack (PULUMI_CONFIG): the same
 * `websocket-platform:environment` and `websocket-platform:app.connectionLifetimeSeconds` keys the program reads.
 * An unknown environment counts as prod, the strictest.
 */
export function settingsFromStackConfig(config: Record<string, string>, stack: string | undefined): PolicySettings {
  const envKey = config["websocket-platform:environment"];
  const fromStack = (policyEnvironments as readonly string[]).includes(stack ?? "") ? (stack as PolicyEnvironment) : undefined;
  const environment = (policyEnvironments as readonly string[]).includes(envKey) ? (envKey as PolicyEnvironment) : (fromStack ?? defaultSettings.environment);
  let lifetime = defaultSettings.connectionLifetimeSeconds;
  try {
    const app = JSON.parse(config["websocket-platform:app"] ?? "{}");
    if (typeof app.connectionLifetimeSeconds === "number") lifetime = app.connectionLifetimeSeconds;
  } catch {
    // Not JSON: the program's own config validation reports it; keep the default here.
  }
  return { ...defaultSettings, environment, connectionLifetimeSeconds: lifetime };
}
