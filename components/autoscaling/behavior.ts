import * as k8s from "@pulumi/kubernetes";
import { AutoscalingSettings } from "../config/schema/autoscaling";

type Behavior = k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerBehavior;

/**
 * HPA behavior shared by both engines: scale up fast (the larger of the two policies wins), scale down slowly (the
 * smaller wins), because each removed pod disconnects all of its clients at once.
 */
export function scalingBehavior(a: Pick<AutoscalingSettings, "scaleUp" | "scaleDown">) {
  const rules = (rate: AutoscalingSettings["scaleUp"], selectPolicy: "Max" | "Min") => ({
    stabilizationWindowSeconds: rate.stabilizationWindowSeconds,
    selectPolicy,
    policies: [
      { type: "Percent", value: rate.percent, periodSeconds: rate.periodSeconds },
      { type: "Pods", value: rate.pods, periodSeconds: rate.periodSeconds },
    ],
  });
  return { scaleUp: rules(a.scaleUp, "Max"), scaleDown: rules(a.scaleDown, "Min") } satisfies Behavior;
}
