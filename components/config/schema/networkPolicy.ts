import { z } from "zod";
import { EnvironmentDefaults } from "../environment";
import { SameShape } from "./common";

/** Arguments of the least-privilege networkpolicies part: `networkPolicy` in stack config. */
export interface NetworkPolicyArgs {
  /** Whether this part is deployed. */
  enabled?: boolean;
}

export const networkPolicySchema = z.strictObject({
  enabled: z.boolean().default(true).describe("Least-privilege NetworkPolicies: on or off."),
});

export type NetworkPolicySettings = z.output<typeof networkPolicySchema>;
const networkPolicyShapeMatches: SameShape<z.input<typeof networkPolicySchema>, NetworkPolicyArgs> = true;
void networkPolicyShapeMatches;

export const networkPolicyEnvironmentDefaults: EnvironmentDefaults<Partial<NetworkPolicyArgs>> = {
  dev: { enabled: false },
  staging: { enabled: true },
  prod: { enabled: true },
};
