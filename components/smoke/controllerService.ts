import { clusterSettingsOf } from "../cluster/fromPlatform";
import { PlatformSettings } from "../config/schema/platform";
import { ingressControllers } from "../ingress/registry";
import { ControllerServiceRef } from "../ingress/types";

/** The in-cluster Service in front of the chosen controller's data plane, with its plain-HTTP and HTTPS ports. */
export type ControllerService = ControllerServiceRef;

/** The Service the chosen controller's strategy names (undefined when nothing here installs the data plane). */
export function controllerService(settings: PlatformSettings): ControllerService | undefined {
  return ingressControllers[settings.ingress.controller].controllerService(clusterSettingsOf(settings));
}

export function serviceHost(service: ControllerService): string {
  return `${service.name}.${service.namespace}.svc.cluster.local`;
}

/** The port the smoke test must dial on the controller's Service: HTTPS with TLS on, plain HTTP without. */
export function smokeTestPort(service: ControllerService, tls: boolean): number {
  return tls ? service.httpsPort : service.httpPort;
}

/** host:port the smoke test dials on the controller's Service. */
export function smokeTestAddress(service: ControllerService, tls: boolean): string {
  return `${serviceHost(service)}:${smokeTestPort(service, tls)}`;
}

/** host:port of the controller's Service for the smoke test, when the user gave none and a Service is known. */
export function derivedSmokeTestAddress(settings: PlatformSettings): string | undefined {
  const service = controllerService(settings);
  return service ? smokeTestAddress(service, settings.tls.enabled) : undefined;
}

/** A host:port that names a Service by cluster DNS (`<name>.<namespace>.svc[.<cluster domain>]`), split up. */
export function clusterServiceOf(address: string): { name: string; namespace: string; port: number } | undefined {
  const match = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.[a-z0-9.-]+)?:(\d+)$/.exec(address);
  return match ? { name: match[1], namespace: match[2], port: Number(match[4]) } : undefined;
}
