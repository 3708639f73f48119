import { z } from "zod";
import { EnvironmentDefaults } from "../environment";
import { SameShape } from "./common";

/** Service meshes the app can be enrolled in (one strategy file each under components/mesh/). */
export const MeshProvider = { none: "none", istio: "istio", linkerd: "linkerd" } as const;
export type MeshProvider = (typeof MeshProvider)[keyof typeof MeshProvider];

/** Arguments of the service mesh part: `mesh` in stack config. */
export interface MeshArgs {
  /** Mesh the app namespace is enrolled in. */
  provider?: MeshProvider;
}

export const meshSchema = z.strictObject({
  provider: z.enum(MeshProvider).default("none").describe("Service mesh: none, istio or linkerd."),
});

export type MeshSettings = z.output<typeof meshSchema>;
const meshShapeMatches: SameShape<z.input<typeof meshSchema>, MeshArgs> = true;
void meshShapeMatches;

export const meshEnvironmentDefaults: EnvironmentDefaults<Partial<MeshArgs>> = { dev: {}, staging: {}, prod: {} };
