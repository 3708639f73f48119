import { MeshProvider } from "../config/schema/mesh";
import { PlatformSettings } from "../config/schema/platform";
import { istioMesh } from "./istio";
import { linkerdMesh } from "./linkerd";
import { noMesh } from "./none";
import { ControllerMeshContext, MeshEnrolment, ServiceMesh } from "./types";

/** Config value → mesh strategy. Adding a mesh is one file and one line here. */
export const serviceMeshes: Record<MeshProvider, ServiceMesh> = {
  none: noMesh,
  istio: istioMesh,
  linkerd: linkerdMesh,
};

export function meshOf(settings: Pick<PlatformSettings, "mesh">): ServiceMesh {
  return serviceMeshes[settings.mesh.provider];
}

/** Labels/annotations an ingress controller strategy puts on its namespace so the controller joins the app's mesh. */
export function controllerMeshEnrolment(settings: ControllerMeshContext): MeshEnrolment {
  return meshOf(settings).controllerEnrolment(settings);
}
