import * as pulumi from "@pulumi/pulumi";
import { clusterSettingsOf } from "../../components/cluster/fromPlatform";
import { referenceFrom } from "../../components/cluster/webSocketCluster";
import { PlatformSettings } from "../../components/config/schema/platform";
import { ingressControllers } from "../../components/ingress/registry";
import { ControllerInstall } from "../../components/ingress/types";
import { controllerInstallOf } from "../../components/service/webSocketService";

/** What one app's parts get from its controller, through the real path: cluster install, reference, the app's view of it. */
export function appControllerInstall(settings: PlatformSettings, opts: pulumi.ComponentResourceOptions = {}): ControllerInstall {
  const cluster = clusterSettingsOf(settings);
  const installed = ingressControllers[settings.ingress.controller].install("probe", cluster, opts);
  return { ...controllerInstallOf(referenceFrom(installed, cluster), settings), readyResources: installed.readyResources, foundations: installed.foundations };
}
