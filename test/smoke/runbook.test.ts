import * as fs from "node:fs";
import { IngressControllerName } from "../../components/config/schema/ingress";
import { RunbookTargets, labelSelector, runbookSections, runbookText } from "../../components/smoke/troubleshooting";
import { markerKeys, runbookBlocks, runbookFile, sectionsOf, withBlocks } from "../../tools/runbook";
import { oneObject, runStack } from "../support/render";

/** The runbook (docs/troubleshooting.md and the `troubleshooting` stack output) names what the components create. */
describe("troubleshooting runbook", () => {
  test("docs/troubleshooting.md blocks are the generated ones (run npx ts-node --transpile-only tools/runbook.ts)", async () => {
    const doc = fs.readFileSync(runbookFile, "utf8");
    const blocks = await runbookBlocks();
    expect(markerKeys(doc).sort()).toEqual([...blocks.keys()].sort());
    expect(withBlocks(doc, blocks)).toBe(doc);
  });

  test("the stack output names the namespace, Deployment, Service, pod labels and Job the stack renders", async () => {
    const run = await runStack("dev");
    const deployment = oneObject(run, "Deployment") as any;
    const service = oneObject(run, "Service") as any;
    const job = oneObject(run, "Job") as any;
    const sections = sectionsOf(String(run.outputs.troubleshooting));
    const ns = deployment.metadata.namespace;
    const selector = labelSelector(deployment.spec.selector.matchLabels);
    expect(sections.get("App pods, endpoints and logs")).toEqual([
      `kubectl get deployment,pods,service -n ${ns} -l ${selector} -o wide`,
      `kubectl get endpointslices -n ${ns} -l kubernetes.io/service-name=${service.metadata.name} -o wide`,
      `kubectl rollout status deployment/${deployment.metadata.name} -n ${ns}`,
      `kubectl logs -n ${ns} -l ${selector} --prefix --tail=100`,
      `kubectl get events -n ${ns} --sort-by=.lastTimestamp`,
    ]);
    const servicePort = service.spec.ports.find((p: any) => p.name === "websocket").port;
    expect(sections.get("Bypass the ingress: connect to the Service directly")![0]).toBe(
      `kubectl port-forward -n ${ns} service/${service.metadata.name} 8080:${servicePort}`,
    );
    const metricsPort = deployment.spec.template.spec.containers[0].ports.find((p: any) => p.name === "metrics").containerPort;
    expect(sections.get("Connection metrics from one pod")![0]).toBe(`kubectl port-forward -n ${ns} deployment/${deployment.metadata.name} 9090:${metricsPort}`);
    expect(sections.get("Smoke test through the ingress")).toEqual([
      `kubectl describe job ${job.metadata.name} -n ${job.metadata.namespace}`,
      `kubectl logs -n ${job.metadata.namespace} job/${job.metadata.name}`,
    ]);
    expect(sections.get("Load test through the ingress (k6)")).toEqual(
      (run.outputs.urls as string[]).map((url) => `k6 run -e WS_URL=${url} -e TARGET=100 load/websocket.k6.js`),
    );
  });

  const base: RunbookTargets = {
    namespace: "realtime",
    deploymentName: "chat",
    serviceName: "chat",
    selector: { "app.kubernetes.io/name": "chat", "app.kubernetes.io/instance": "chat" },
    servicePort: 8080,
    metricsPort: 9090,
    urls: ["wss://chat.example.com/"],
    controller: "nginx",
    mesh: "none",
    tls: true,
  };

  test("every controller gets its pods' logs by the labels and namespace its strategy reports", () => {
    for (const controller of Object.values(IngressControllerName)) {
      const sections = runbookSections({
        ...base,
        controller,
        controllerPods: { namespace: "edge", podLabels: { "app.kubernetes.io/name": controller, "app.kubernetes.io/instance": "edge" }, routeApi: "ingress" },
      });
      const section = sections.find((s) => s.id === `controller-${controller}`)!;
      expect(section.commands.slice(0, 2)).toEqual([
        `kubectl get pods -n edge -l app.kubernetes.io/instance=edge,app.kubernetes.io/name=${controller} -o wide`,
        `kubectl logs -n edge -l app.kubernetes.io/instance=edge,app.kubernetes.io/name=${controller} --prefix --tail=200`,
      ]);
    }
  });

  test("route objects follow the route API; generated configuration follows the controller", () => {
    const commands = (controller: IngressControllerName, routeApi: "ingress" | "gateway" | "native") =>
      runbookSections({ ...base, controller, controllerPods: { namespace: "edge", podLabels: { app: "edge" }, routeApi } }).find((s) =>
        s.id.startsWith("controller-"),
      )!.commands;
    expect(commands("nginx", "ingress")).toEqual(
      expect.arrayContaining([
        "kubectl describe ingress -n realtime",
        'kubectl exec -n edge "$(kubectl get pods -n edge -l app=edge -o name | head -n 1)" -- cat /etc/nginx/nginx.conf',
      ]),
    );
    expect(commands("traefik", "native")).toContain(
      "kubectl get ingressroutes.traefik.io,middlewares.traefik.io,serverstransports.traefik.io -n realtime -o yaml",
    );
    expect(commands("nginx-gateway-fabric", "gateway")).toEqual(
      expect.arrayContaining([
        "kubectl describe httproutes.gateway.networking.k8s.io -n realtime",
        'kubectl exec -n edge "$(kubectl get pods -n edge -l app=edge -o name | head -n 1)" -- nginx -T',
      ]),
    );
    expect(commands("haproxy", "ingress")).toContain(
      'kubectl exec -n edge "$(kubectl get pods -n edge -l app=edge -o name | head -n 1)" -- cat /etc/haproxy/haproxy.cfg',
    );
    expect(commands("istio", "native")).toContain(
      `istioctl proxy-config routes -n edge "$(kubectl get pods -n edge -l app=edge -o jsonpath='{.items[0].metadata.name}')"`,
    );
  });

  test("certificates are looked up where the TLS Secret lives; no TLS, no TLS section", () => {
    const withIstio = runbookSections({ ...base, tlsNamespace: "istio-ingress" }).find((s) => s.id === "tls")!;
    expect(withIstio.commands[0]).toBe("kubectl get certificates,certificaterequests -n istio-ingress");
    expect(runbookSections({ ...base, tls: false }).some((s) => s.id === "tls")).toBe(false);
  });

  test("the text form is what sectionsOf reads back", () => {
    const sections = runbookSections({ ...base, mesh: "linkerd", smokeJobName: "chat-smoke" });
    const back = sectionsOf(runbookText(sections));
    expect([...back.keys()]).toEqual(sections.map((s) => s.title));
    expect([...back.values()]).toEqual(sections.map((s) => s.commands));
  });
});
