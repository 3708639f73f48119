import { z } from "zod";
import { EnvironmentDefaults } from "../environment";
import { SameShape } from "./common";

/** Arguments of the smoke test through the ingress part: `smokeTest` in stack config. */
export interface SmokeTestArgs {
  /** Whether this part is deployed. */
  enabled?: boolean;
}

export const smokeTestSchema = z.strictObject({
  enabled: z.boolean().default(false).describe("Smoke test through the ingress: on or off."),
});

export type SmokeTestSettings = z.output<typeof smokeTestSchema>;
const smokeTestShapeMatches: SameShape<z.input<typeof smokeTestSchema>, SmokeTestArgs> = true;
void smokeTestShapeMatches;

export const smokeTestEnvironmentDefaults: EnvironmentDefaults<Partial<SmokeTestArgs>> = {
  dev: { enabled: true },
  staging: { enabled: true },
  prod: { enabled: false },
};
