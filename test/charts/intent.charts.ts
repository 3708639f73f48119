import YAML from "yaml";
import { connectionsRule } from "../../components/autoscaling/prometheusAdapter";
import { defaultPrometheusLabels } from "../../components/config/schema/monitoring";
import { RenderedObject, RenderedRelease } from "../../tools/helm/renderReleases";
import { releaseIn } from "./scenarios";

// The prod defaults the matrix runs with: app.connectionLifetimeSeconds 3600, app.drain.preStopSeconds 10,
// ingress.drainSeconds 300, ingress.connectTimeoutSeconds 5; the grace period adds the 5 s exit margin.
const lifetime = 3600;
const preStop = 10;
const drain = 300;
const grace = preStop + drain + 5;

function objectsOf(release: RenderedRelease, kind: string): RenderedObject[] {
  return release.objects.filter((o) => o.kind === kind);
}

function one(release: RenderedRelease, kind: string, name?: string): any {
  const found = objectsOf(release, kind).filter((o) => name === undefined || o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ""} in ${release.release.name}, found ${found.length}`);
  return found[0];
}

const podSpec = (deployment: any) => deployment.spec.template.spec;
const container = (deployment: any, name?: string) => podSpec(deployment).containers.find((c: any) => name === undefined || c.name === name);

/** The PodDisruptionBudgets of a release that select a Deployment's pods. */
function budgetsFor(release: RenderedRelease, deployment: any): any[] {
  const labels = deployment.spec.template.metadata.labels ?? {};
  return objectsOf(release, "PodDisruptionBudget").filter((pdb: any) =>
    Object.entries(pdb.spec.selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v),
  );
}

function expectServiceMonitorFor(release: RenderedRelease) {
  const monitor = one(release, "ServiceMonitor");
  expect(monitor.metadata.labels).toMatchObject(defaultPrometheusLabels);
  // It selects a Service the chart renders in the same namespace.
  const services = objectsOf(release, "Service").filter((s: any) =>
    Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v),
  );
  expect(services.map((s) => s.metadata.name).length).toBeGreaterThan(0);
  expect(monitor.spec.namespaceSelector.matchNames).toEqual([release.release.namespace]);
}

describe("ingress-nginx: the WebSocket intent reaches the controller", () => {
  const release = releaseIn("nginx × keda", "ingress-nginx");
  const config = one(release, "ConfigMap", "ingress-nginx-controller").data;
  const deployment = one(release, "Deployment", "ingress-nginx-controller");

  it("ConfigMap: lifetime-long read/send timeouts, no buffering, upstream keepalive, no snippets", () => {
    expect(config).toMatchObject({
      "proxy-read-timeout": String(lifetime),
      "proxy-send-timeout": String(lifetime),
      "proxy-connect-timeout": "5",
      "proxy-buffering": "off",
      "proxy-request-buffering": "off",
      "upstream-keepalive-connections": "320",
      "upstream-keepalive-timeout": "60",
      "upstream-keepalive-requests": "10000",
      "annotations-risk-level": "High",
    });
    // The chart writes allow-snippet-annotations only when snippets are allowed.
    expect(Object.entries(config).filter(([k, v]) => k.includes("snippet") && v !== "false")).toEqual([]);
    expect(container(deployment, "controller").args.join(" ")).not.toMatch(/snippet/);
  });

  it("drains: keeps accepting for the preStop time, then NGINX quits gracefully until the grace period ends", () => {
    expect(container(deployment, "controller").args).toContain(`--shutdown-grace-period=${preStop}`);
    expect(parseInt(config["worker-shutdown-timeout"], 10)).toBeGreaterThanOrEqual(Math.max(lifetime, drain));
    expect(podSpec(deployment).terminationGracePeriodSeconds).toBe(grace);
    expect(container(deployment, "controller").lifecycle.preStop.exec.command).toEqual(["/wait-shutdown"]);
  });

  it("two replicas with a disruption budget, metrics scraped by the chart's ServiceMonitor", () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(budgetsFor(release, deployment).length).toBe(1);
    expectServiceMonitorFor(release);
  });
});

describe("Traefik: entry points carry the lifetime and drain", () => {
  for (const scenario of ["traefik × keda", "traefik+gateway × keda"]) {
    const release = releaseIn(scenario, "traefik");
    const deployment = one(release, "Deployment", "traefik");
    const args: string[] = container(deployment, "traefik").args;

    it(`${scenario}: respondingTimeouts and lifeCycle on web and websecure`, () => {
      for (const ep of ["web", "websecure"]) {
        expect(args).toEqual(
          expect.arrayContaining([
            `--entryPoints.${ep}.transport.respondingTimeouts.readTimeout=${lifetime}s`,
            `--entryPoints.${ep}.transport.respondingTimeouts.writeTimeout=${lifetime}s`,
            `--entryPoints.${ep}.transport.lifeCycle.requestAcceptGraceTimeout=${preStop}s`,
            `--entryPoints.${ep}.transport.lifeCycle.graceTimeOut=${drain}s`,
          ]),
        );
      }
      expect(podSpec(deployment).terminationGracePeriodSeconds).toBe(grace);
    });

    it(`${scenario}: two replicas with a budget, a ServiceMonitor on the dedicated metrics Service`, () => {
      expect(deployment.spec.replicas).toBe(2);
      expect(budgetsFor(release, deployment).length).toBe(1);
      expectServiceMonitorFor(release);
      expect(one(release, "Service", "traefik").spec.ports.map((p: any) => p.name)).toEqual(["web", "websecure"]);
    });
  }

  it("traefik+gateway: the Gateway provider and GatewayClass are on; the chart's own Gateway is not rendered", () => {
    const release = releaseIn("traefik+gateway × keda", "traefik");
    expect(container(one(release, "Deployment", "traefik"), "traefik").args).toContain("--providers.kubernetesgateway");
    expect(one(release, "GatewayClass").metadata.name).toBe("traefik");
    expect(objectsOf(release, "Gateway")).toEqual([]);
  });
});

describe("HAProxy: ConfigMap timeouts, cookie persistence, a LoadBalancer without the stats and admin ports", () => {
  const release = releaseIn("haproxy × keda", "kubernetes-ingress");
  const config = one(release, "ConfigMap", "haproxy-kubernetes-ingress").data;
  const deployment = one(release, "Deployment", "haproxy-kubernetes-ingress");

  it("ConfigMap: timeout-tunnel/-client/-server = lifetime, timeout-connect, hard-stop-after = drain", () => {
    expect(config).toMatchObject({
      "timeout-tunnel": `${lifetime}s`,
      "timeout-client": `${lifetime}s`,
      "timeout-server": `${lifetime}s`,
      "timeout-connect": "5s",
      "hard-stop-after": `${drain}s`,
    });
    expect(config["cookie-persistence"]).toBeUndefined();
  });

  it("cookie-persistence lands in the ConfigMap when affinity is on", () => {
    const sticky = releaseIn("haproxy+affinity", "kubernetes-ingress");
    expect(one(sticky, "ConfigMap", "haproxy-kubernetes-ingress").data["cookie-persistence"]).toBe("ws_affinity");
  });

  it("public Service: LoadBalancer with HTTP and HTTPS only; stats only on the ClusterIP metrics Service; pprof off", () => {
    const service = one(release, "Service", "haproxy-kubernetes-ingress");
    expect(service.spec.type).toBe("LoadBalancer");
    expect(service.spec.ports.map((p: any) => p.port)).not.toEqual(expect.arrayContaining([1024]));
    expect(service.spec.ports.map((p: any) => p.name).sort()).toEqual(["http", "https", "quic"]);
    const metrics = one(release, "Service", "haproxy-kubernetes-ingress-metrics");
    expect(metrics.spec.type).toBe("ClusterIP");
    expect(container(deployment).args.join(" ")).not.toMatch(/pprof/);
    expectServiceMonitorFor(release);
  });

  it("drains: preStop sleep, then a soft stop bounded by hard-stop-after, inside the grace period", () => {
    expect(container(deployment).lifecycle).toEqual({ preStop: { sleep: { seconds: preStop } } });
    expect(podSpec(deployment).terminationGracePeriodSeconds).toBe(grace);
    expect(deployment.spec.replicas).toBe(2);
    expect(budgetsFor(release, deployment).length).toBe(1);
  });
});

describe("NGINX Gateway Fabric: control plane replicas and the data plane's NginxProxy", () => {
  const release = releaseIn("nginx-gateway-fabric × keda", "nginx-gateway-fabric");
  const deployment = one(release, "Deployment", "nginx-gateway-fabric");

  it("control plane: two replicas, no snippets, telemetry off", () => {
    expect(deployment.spec.replicas).toBe(2);
    const args: string[] = container(deployment, "nginx-gateway").args;
    expect(args).toContain("--product-telemetry-disable");
    expect(args.filter((a) => a.includes("snippet"))).toEqual([]);
  });

  it("NginxProxy: two data-plane replicas that drain (preStop sleep, grace period)", () => {
    const proxy = one(release, "NginxProxy");
    expect(proxy.spec.kubernetes.deployment).toMatchObject({
      replicas: 2,
      pod: { terminationGracePeriodSeconds: grace },
      container: { lifecycle: { preStop: { sleep: { seconds: preStop } } } },
    });
    expect(one(release, "GatewayClass").spec.parametersRef).toMatchObject({ kind: "NginxProxy", name: proxy.metadata.name });
  });
});

describe("Istio gateway: drain duration and grace period", () => {
  const release = releaseIn("istio × keda", "gateway");
  const deployment = one(release, "Deployment", "istio-ingressgateway");

  it("the proxy drains for ingress.drainSeconds; the kubelet waits the margin longer", () => {
    const proxyConfig = JSON.parse(deployment.spec.template.metadata.annotations["proxy.istio.io/config"]);
    expect(proxyConfig).toEqual({ terminationDrainDuration: `${drain}s` });
    expect(podSpec(deployment).terminationGracePeriodSeconds).toBe(drain + 5);
    expect(deployment.spec.replicas).toBe(2);
    expect(budgetsFor(release, deployment).length).toBe(1);
  });
});

describe("cert-manager: CRDs kept, Gateway API when the route is Gateway API, two of each Deployment with budgets", () => {
  it("CRDs are rendered and carry helm.sh/resource-policy: keep", () => {
    const release = releaseIn("nginx × keda", "cert-manager");
    const crds = objectsOf(release, "CustomResourceDefinition");
    expect(crds.map((c) => c.metadata.name).sort()).toEqual(
      ["certificaterequests", "certificates", "challenges", "clusterissuers", "issuers", "orders"].map((n) =>
        ["challenges", "orders"].includes(n) ? `${n}.acme.cert-manager.io` : `${n}.cert-manager.io`,
      ).sort(),
    );
    for (const crd of crds) expect(crd.metadata.annotations?.["helm.sh/resource-policy"]).toBe("keep");
  });

  it("Gateway API routes: the controller's configuration enables gatewayAPI; Ingress routes: it does not", () => {
    const config = one(releaseIn("nginx-gateway-fabric × keda", "cert-manager"), "ConfigMap", "cert-manager").data["config.yaml"];
    expect(config).toMatch(/kind: ControllerConfiguration/);
    expect(config).toMatch(/gatewayAPI:\n\s+enabled: true/);
    expect(objectsOf(releaseIn("nginx × keda", "cert-manager"), "ConfigMap")).toEqual([]);
  });

  it("controller, webhook and cainjector: two replicas, one budget each", () => {
    const release = releaseIn("prod", "cert-manager");
    const deployments = objectsOf(release, "Deployment");
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(["cert-manager", "cert-manager-cainjector", "cert-manager-webhook"]);
    for (const d of deployments) {
      expect([d.metadata.name, (d.spec as any).replicas]).toEqual([d.metadata.name, 2]);
      expect([d.metadata.name, budgetsFor(release, d).length]).toEqual([d.metadata.name, 1]);
    }
  });
});

describe("KEDA and prometheus-adapter: the scaling path", () => {
  it("KEDA: CRDs, the external metrics APIService, two operators and metrics servers with budgets", () => {
    const release = releaseIn("traefik × keda", "keda");
    expect(objectsOf(release, "CustomResourceDefinition").map((c) => c.metadata.name)).toContain("scaledobjects.keda.sh");
    expect(one(release, "APIService").metadata.name).toBe("v1beta1.external.metrics.k8s.io");
    for (const name of ["keda-operator", "keda-operator-metrics-apiserver"]) {
      const d = one(release, "Deployment", name);
      expect([name, d.spec.replicas, budgetsFor(release, d).length]).toEqual([name, 2, 1]);
    }
  });

  it("prometheus-adapter: only our connections rule, the Prometheus URL, an APIService with a cert-manager CA", () => {
    const release = releaseIn("traefik × prometheus-adapter", "prometheus-adapter");
    const rules = YAML.parse(one(release, "ConfigMap").data["config.yaml"]);
    // The chart passes our rule through unchanged, and adds none of its defaults.
    expect(rules.rules).toEqual([connectionsRule()]);
    expect(rules.externalRules ?? []).toEqual([]);
    const deployment = one(release, "Deployment");
    expect(container(deployment).args).toContain("--prometheus-url=http://kube-prometheus-stack-prometheus.monitoring.svc:9090");
    const apiService = one(release, "APIService");
    expect(apiService.spec.insecureSkipTLSVerify).not.toBe(true);
    expect(apiService.metadata.annotations?.["cert-manager.io/inject-ca-from"]).toBeDefined();
    expect([deployment.spec.replicas, budgetsFor(release, deployment).length]).toEqual([2, 1]);
  });
});
