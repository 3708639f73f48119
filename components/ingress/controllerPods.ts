/** A controller's data-plane pods, as runbook commands select them. */
export interface ControllerPods {
  namespace: string;
  /** A label selector (`k=v,k2=v2`) for the data-plane pods. */
  selector: string;
}

/** The first data-plane pod, for commands that need a pod name (kubectl's pod/<name> form). */
export function firstPod({ namespace, selector }: ControllerPods): string {
  return `"$(kubectl get pods -n ${namespace} -l ${selector} -o name | head -n 1)"`;
}
