import { z } from "zod";
import { EnvironmentDefaults } from "../environment";
import { SameShape } from "./common";

/** Arguments of the autoscaling on live connections part: `autoscaling` in stack config. */
export interface AutoscalingArgs {
  /** Whether this part is deployed. */
  enabled?: boolean;
}

export const autoscalingSchema = z.strictObject({
  enabled: z.boolean().default(false).describe("Autoscaling on live connections: on or off."),
});

export type AutoscalingSettings = z.output<typeof autoscalingSchema>;
const autoscalingShapeMatches: SameShape<z.input<typeof autoscalingSchema>, AutoscalingArgs> = true;
void autoscalingShapeMatches;

export const autoscalingEnvironmentDefaults: EnvironmentDefaults<Partial<AutoscalingArgs>> = {
  dev: { enabled: false },
  staging: { enabled: false },
  prod: { enabled: false },
};
