import * as k8s from "@pulumi/kubernetes";
import { WebSocketPlatform } from "../components/platform";
import { kubernetesObjects } from "../tools/kubernetesObjects";
import { ProgramRun, runProgram } from "../tools/mockRunner";
import { stackNames } from "../tools/stackConfig";
import { oneObject, runStack } from "./support/render";
import { validateObjects } from "./support/schemas";

const runs = new Map<string, ProgramRun>();
beforeAll(async () => {
  for (const stack of stackNames()) runs.set(stack, await runStack(stack));
});

describe("every stack", () => {
  test("the three environments exist", () => {
    expect(stackNames()).toEqual(["dev", "prod", "staging"]);
  });

  test.each(["dev", "staging", "prod"])("%s: every object passes the upstream schemas", (stack) => {
    const objects = kubernetesObjects(runs.get(stack)!.resources);
    expect(objects.length).toBeGreaterThan(0);
    expect(validateObjects(objects)).toEqual([]);
  });

  test.each(["dev", "staging", "prod"])("%s: object names are DNS labels of at most 63 characters", (stack) => {
    for (const o of kubernetesObjects(runs.get(stack)!.resources)) {
      expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
      expect(o.metadata.name!.length).toBeLessThanOrEqual(63);
    }
  });

  test.each(["dev", "staging", "prod"])("%s: the app namespace enforces Pod Security restricted", (stack) => {
    const run = runs.get(stack)!;
    const ns = oneObject(run, "Namespace", run.outputs.namespace as string);
    expect(ns.metadata.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    });
  });

  test.each(["dev", "staging", "prod"])("%s: every resource is a child of the platform component", (stack) => {
    for (const r of runs.get(stack)!.resources) {
      if (r.type === "pulumi:pulumi:Stack" || r.type === "websocket-platform:index:WebSocketPlatform") continue;
      expect(r.parent).toBeDefined();
    }
  });

  test("prod: at least 3 replicas, strict spread and a disruption budget", () => {
    const run = runs.get("prod")!;
    const spec = oneObject(run, "Deployment").spec as any;
    expect(spec.replicas).toBeGreaterThanOrEqual(3);
    expect(spec.template.spec.topologySpreadConstraints.map((c: any) => c.whenUnsatisfiable)).toEqual(["DoNotSchedule", "DoNotSchedule"]);
    expect((oneObject(run, "PodDisruptionBudget").spec as any).maxUnavailable).toBe(1);
  });

  test("dev is smaller than staging, which is smaller than prod", () => {
    const replicas = (s: string) => (oneObject(runs.get(s)!, "Deployment").spec as any).replicas;
    expect(replicas("dev")).toBeLessThan(replicas("staging"));
    expect(replicas("staging")).toBeLessThan(replicas("prod"));
  });

  test("stack outputs name the namespace, the service and the URLs", () => {
    expect(runs.get("prod")!.outputs).toEqual({
      environment: "prod",
      namespace: "websocket",
      serviceName: "echo",
      urls: ["wss://ws.example.com/"],
      troubleshooting: expect.stringContaining("kubectl rollout status deployment/echo -n websocket"),
    });
    expect(runs.get("dev")!.outputs.urls).toEqual(["ws://ws.dev.example.com/"]);
  });
});

describe("schema validation itself", () => {
  test("an object of unknown apiVersion/kind fails", () => {
    const failures = validateObjects([
      { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } },
      { apiVersion: "apps/v1", kind: "Deploymnt", metadata: { name: "d" } },
    ]);
    expect(failures.map((f) => f.error)).toEqual([
      "no upstream schema for example.com/v1 Widget",
      "unknown apiVersion/kind apps/v1 Deploymnt",
    ]);
  });

  test("a core object with a wrong field type fails", () => {
    const failures = validateObjects([{ apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { ports: [{ port: "http" }] } }]);
    expect(failures).toHaveLength(1);
    expect(failures[0].error).toContain("port must be integer");
  });

  test("a custom resource with an unknown field fails the strict CRD schema", () => {
    const failures = validateObjects([
      { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "c" }, spec: { secretName: "s", dnsNames: ["a.b"], issuerRef: { name: "i" }, bogus: true } },
    ]);
    expect(failures).toHaveLength(1);
    expect(failures[0].error).toContain("must NOT have additional properties");
  });
});

describe("providers pass through", () => {
  test.each(["provider", "providers"])("a user's Kubernetes provider passed as `%s` reaches every custom child", async (option) => {
    const run = await runProgram(
      () => {
        const provider = new k8s.Provider("other-cluster", { kubeconfig: "~/.kube/other", renderYamlToDirectory: "out/yaml" });
        new WebSocketPlatform(
          "chat",
          { environment: "prod", app: { image: "ghcr.io/acme/chat:1.4.2" }, ingress: { hosts: ["ws.example.com"] }, tls: { email: "ops@example.org" } },
          option === "provider" ? { provider } : { providers: { kubernetes: provider } },
        );
        return {};
      },
      { stack: "test", config: {} },
    );
    const children = run.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers"));
    expect(children.length).toBeGreaterThanOrEqual(5);
    for (const child of children) expect(child.provider).toMatch(/pulumi:providers:kubernetes::other-cluster::other-cluster-id$/);
  });
});
