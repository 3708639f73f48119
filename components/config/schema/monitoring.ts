import { z } from "zod";
import { EnvironmentDefaults } from "../environment";
import { SameShape } from "./common";

/** Arguments of the servicemonitor, alerts and dashboard part: `monitoring` in stack config. */
export interface MonitoringArgs {
  /** Whether this part is deployed. */
  enabled?: boolean;
}

export const monitoringSchema = z.strictObject({
  enabled: z.boolean().default(true).describe("ServiceMonitor, alerts and dashboard: on or off."),
});

export type MonitoringSettings = z.output<typeof monitoringSchema>;
const monitoringShapeMatches: SameShape<z.input<typeof monitoringSchema>, MonitoringArgs> = true;
void monitoringShapeMatches;

export const monitoringEnvironmentDefaults: EnvironmentDefaults<Partial<MonitoringArgs>> = {
  dev: { enabled: true },
  staging: { enabled: true },
  prod: { enabled: true },
};
