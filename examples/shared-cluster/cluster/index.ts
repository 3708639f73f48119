import { WebSocketCluster } from "websocket-platform";

/** Run once per cluster by the platform team; app stacks read `reference`. */
export = async () => {
  const cluster = new WebSocketCluster("shared", {
    environment: "prod",
    ingress: { controller: "traefik", connectionLifetimeSeconds: 7200 },
    autoscaling: { enabled: true, engine: "keda" },
  });
  return {
    // Plain data: which controller, where its pods and Secrets are, what the cluster runs.
    reference: cluster.reference,
    // For DNS records: the Service whose load balancer the app hosts point at.
    controllerService: cluster.controllerService,
  };
};
