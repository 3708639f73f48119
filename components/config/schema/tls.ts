import { z } from "zod";
import { EnvironmentDefaults } from "../environment";
import { SameShape } from "./common";

/** Arguments of the tls through cert-manager part: `tls` in stack config. */
export interface TlsArgs {
  /** Whether this part is deployed. */
  enabled?: boolean;
}

export const tlsSchema = z.strictObject({
  enabled: z.boolean().default(true).describe("TLS through cert-manager: on or off."),
});

export type TlsSettings = z.output<typeof tlsSchema>;
const tlsShapeMatches: SameShape<z.input<typeof tlsSchema>, TlsArgs> = true;
void tlsShapeMatches;

export const tlsEnvironmentDefaults: EnvironmentDefaults<Partial<TlsArgs>> = {
  dev: { enabled: false },
  staging: { enabled: true },
  prod: { enabled: true },
};
