// What the Pulumi SDK itself costs per resource under the same mocks: ConfigMaps of three small fields, no parent,
// no Outputs between them. A goal below this floor cannot be met by anything this package does.
import * as k8s from "@pulumi/kubernetes";

/** A program that registers `registered` resources, as a measured program counts them: its stack plus bare ConfigMaps. */
export function sdkFloor(registered: number): () => void {
  return () => {
    for (let i = 1; i < registered; i++) {
      new k8s.core.v1.ConfigMap(`floor-${i}`, { metadata: { name: `floor-${i}`, namespace: "floor", labels: { app: "floor" } }, data: { key: "value" } });
    }
  };
}
