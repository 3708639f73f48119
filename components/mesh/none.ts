import { MeshEnrolment, MeshNetworkNeeds, ServiceMesh, noEnrolment } from "./types";

/** No mesh: nothing to enrol, no mesh objects, no extra flows. */
export const noMesh: ServiceMesh = {
  name: "none",
  appEnrolment: (): MeshEnrolment => noEnrolment(),
  controllerEnrolment: (): MeshEnrolment => noEnrolment(),
  policies: () => [],
  needsServiceAddress: () => false,
  network: (): MeshNetworkNeeds => ({ tunnelPorts: [], controlPlaneEgress: [], extraIngress: [] }),
};
