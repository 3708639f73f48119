import * as pulumi from "@pulumi/pulumi";
import { WebSocketApp } from "../components/app/webSocketApp";
import { isConfigError } from "../components/config/configError";
import { runProgram, settleProgram } from "../tools/mockRunner";
import { validateObjects } from "./support/schemas";
import { oneObject } from "./support/render";
import { kubernetesObjects } from "../tools/kubernetesObjects";

async function renderApp(args: Partial<ConstructorParameters<typeof WebSocketApp>[1]> = {}) {
  return runProgram(
    () => {
      const app = new WebSocketApp("chat", { namespace: "realtime", image: "ghcr.io/acme/chat:1.4.2", name: "chat", ...args });
      return { service: app.serviceName };
    },
    { stack: "test", config: {} },
  );
}

describe("WebSocketApp on its own", () => {
  test("ServiceAccount does not mount its token, and the pod does not either", async () => {
    const run = await renderApp();
    expect(oneObject(run, "ServiceAccount").automountServiceAccountToken).toBe(false);
    const pod = (oneObject(run, "Deployment").spec as any).template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe("chat");
  });

  test("rollouts never drop capacity: RollingUpdate with maxUnavailable 0", async () => {
    const spec = oneObject(await renderApp(), "Deployment").spec as any;
    expect(spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect(spec.replicas).toBe(3);
  });

  test("graceful drain: preStop sleep, then a grace period covering the drain window and a margin", async () => {
    const pod = (oneObject(await renderApp({ drain: { preStopSeconds: 15, windowSeconds: 120 } }), "Deployment").spec as any).template.spec;
    expect(pod.containers[0].lifecycle.preStop).toEqual({ sleep: { seconds: 15 } });
    expect(pod.terminationGracePeriodSeconds).toBe(15 + 120 + 5);
    const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env.DRAIN_WINDOW_SECONDS).toBe("120");
  });

  test("startup, readiness and liveness probes use the configured paths on the metrics port (its accept queue stays free in a reconnect storm)", async () => {
    const container = (oneObject(await renderApp({ health: { livenessPath: "/alive", readinessPath: "/ready" } }), "Deployment").spec as any)
      .template.spec.containers[0];
    expect(container.startupProbe.httpGet).toEqual({ path: "/alive", port: "metrics" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/alive", port: "metrics" });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/ready", port: "metrics" });
  });

  test("pods pass Pod Security Standard restricted", async () => {
    const pod = (oneObject(await renderApp(), "Deployment").spec as any).template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    for (const c of pod.containers) {
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(c.securityContext.privileged).toBeUndefined();
    }
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.volumes.every((v: any) => v.hostPath === undefined)).toBe(true);
  });

  test("pods spread over nodes and zones, counting only the new ReplicaSet during a rollout", async () => {
    const pod = (oneObject(await renderApp({ spread: { nodes: "DoNotSchedule", zones: "ScheduleAnyway" } }), "Deployment").spec as any)
      .template.spec;
    const byKey = Object.fromEntries(pod.topologySpreadConstraints.map((c: any) => [c.topologyKey, c]));
    expect(byKey["kubernetes.io/hostname"].whenUnsatisfiable).toBe("DoNotSchedule");
    expect(byKey["topology.kubernetes.io/zone"].whenUnsatisfiable).toBe("ScheduleAnyway");
    expect(byKey["kubernetes.io/hostname"].matchLabelKeys).toEqual(["pod-template-hash"]);
    expect(byKey["kubernetes.io/hostname"].labelSelector.matchLabels).toEqual({
      "app.kubernetes.io/name": "chat",
      "app.kubernetes.io/instance": "chat",
    });
  });

  test("Service: named ports with appProtocol, selector from the same labels, no ClientIP affinity", async () => {
    const run = await renderApp({ port: 8000, metricsPort: 9100 });
    const service = oneObject(run, "Service").spec as any;
    expect(service.ports).toEqual([
      { name: "websocket", port: 8000, targetPort: "websocket", protocol: "TCP", appProtocol: "kubernetes.io/ws" },
      { name: "metrics", port: 9100, targetPort: "metrics", protocol: "TCP", appProtocol: "http" },
    ]);
    expect(service.sessionAffinity).toBeUndefined();
    const deployment = oneObject(run, "Deployment").spec as any;
    expect(service.selector).toEqual(deployment.selector.matchLabels);
    expect(deployment.template.metadata.labels).toMatchObject(deployment.selector.matchLabels);
    const ports = deployment.template.spec.containers[0].ports;
    expect(ports.map((p: any) => [p.name, p.containerPort])).toEqual([["websocket", 8000], ["metrics", 9100]]);
  });

  test("recommended labels, with the version from the image tag", async () => {
    const labels = oneObject(await renderApp(), "Deployment").metadata.labels!;
    expect(labels).toMatchObject({
      "app.kubernetes.io/name": "chat",
      "app.kubernetes.io/instance": "chat",
      "app.kubernetes.io/version": "1.4.2",
      "app.kubernetes.io/part-of": "websocket-platform",
      "app.kubernetes.io/managed-by": "pulumi",
    });
  });

  test("PodDisruptionBudget limits voluntary evictions and lets unhealthy pods go", async () => {
    const pdb = oneObject(await renderApp({ disruptionBudget: { maxUnavailable: 2 } }), "PodDisruptionBudget").spec as any;
    expect(pdb.maxUnavailable).toBe(2);
    expect(pdb.unhealthyPodEvictionPolicy).toBe("AlwaysAllow");
    expect(pdb.selector.matchLabels["app.kubernetes.io/name"]).toBe("chat");
  });

  test("an autoscaler-owned Deployment leaves spec.replicas out", async () => {
    const spec = oneObject(await renderApp({ replicasOwnedByAutoscaler: true }), "Deployment").spec as any;
    expect("replicas" in spec).toBe(false);
  });

  test("mesh additions reach the pod template without replacing our labels", async () => {
    const run = await renderApp({ podAnnotations: { "linkerd.io/inject": "enabled" }, podLabels: { "app.kubernetes.io/name": "hijack", team: "rt" } });
    const template = (oneObject(run, "Deployment").spec as any).template;
    expect(template.metadata.annotations).toEqual({ "linkerd.io/inject": "enabled" });
    expect(template.metadata.labels.team).toBe("rt");
    expect(template.metadata.labels["app.kubernetes.io/name"]).toBe("chat");
  });

  test("an image given as an Output is accepted and used", async () => {
    const run = await renderApp({ image: pulumi.output("ghcr.io/acme/chat:2.0.0") });
    expect((oneObject(run, "Deployment").spec as any).template.spec.containers[0].image).toBe("ghcr.io/acme/chat:2.0.0");
  });

  test("bad args fail before anything is registered, named as WebSocketApp args", async () => {
    const run = await settleProgram(
      () => new WebSocketApp("chat", { namespace: "x", image: "chat:latest", replicas: 0 }),
      { stack: "test", config: {} },
    );
    expect(isConfigError(run.error)).toBe(true);
    expect((run.error as Error).message).toContain("WebSocketApp args.image");
    expect((run.error as Error).message).toContain("WebSocketApp args.replicas: got 0; allowed: at least 1");
    expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });

  test("the origin policy and send limits reach the container env; unset origins are not invented", async () => {
    const envOf = async (args: Partial<ConstructorParameters<typeof WebSocketApp>[1]>) => {
      const container = (oneObject(await renderApp(args), "Deployment").spec as any).template.spec.containers[0];
      return Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
    };
    expect(await envOf({ allowedOrigins: ["https://App.example.com:443"], listenBacklog: 2048, maxBufferedBytesPerConnection: 131072 })).toMatchObject({
      ALLOWED_ORIGINS: "https://app.example.com",
      ALLOW_MISSING_ORIGIN: "false",
      LISTEN_BACKLOG: "2048",
      MAX_BUFFERED_BYTES: "131072",
    });
    expect(await envOf({ allowedOrigins: ["*"], allowMissingOrigin: true })).toMatchObject({ ALLOWED_ORIGINS: "*", ALLOW_MISSING_ORIGIN: "true" });
    expect(Object.keys(await envOf({}))).not.toContain("ALLOWED_ORIGINS");
  });

  test("an origin that is not one, or a send cap below two messages, fails before anything is registered", async () => {
    const origins = await settleProgram(() => new WebSocketApp("chat", { namespace: "x", image: "chat:1.0.0", allowedOrigins: ["https://app.example.com/"] }), {
      stack: "test",
      config: {},
    });
    expect(isConfigError(origins.error)).toBe(true);
    expect((origins.error as Error).message).toContain('WebSocketApp args.allowedOrigins: got ["https://app.example.com/"]');
    expect((origins.error as Error).message).toContain("exact origins scheme://host[:port]");
    expect(origins.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    const cap = await settleProgram(() => new WebSocketApp("chat", { namespace: "x", image: "chat:1.0.0", maxBufferedBytesPerConnection: 65536 }), { stack: "test", config: {} });
    expect((cap.error as Error).message).toContain("WebSocketApp args.maxBufferedBytesPerConnection: got 65536");
  });

  test("every object passes the upstream schemas", async () => {
    expect(validateObjects(kubernetesObjects((await renderApp()).resources))).toEqual([]);
  });
});
