/**
 * The part of KEDA's ScaledObject (keda.sh/v1alpha1) this package writes. No @kubernetes-models package covers KEDA,
 * so the fields are typed here from the CRD (shared/upstream/crd-schemas/keda.sh); tests validate against it.
 */
export interface ScaledObjectTrigger {
  type: string;
  name?: string;
  metricType?: "AverageValue" | "Value" | "Utilization";
  metadata: Record<string, string>;
}

export interface ScaledObjectSpec {
  scaleTargetRef: { apiVersion?: string; kind?: string; name: string };
  minReplicaCount: number;
  maxReplicaCount: number;
  advanced?: {
    horizontalPodAutoscalerConfig?: {
      name?: string;
      behavior?: Record<string, unknown>;
    };
  };
  triggers: ScaledObjectTrigger[];
}
