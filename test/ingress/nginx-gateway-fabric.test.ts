import { fourDigitDuration, parseDurationSeconds, secondsText } from "../../components/ingress/durations";
import { fabricValues, nginxGatewayFabricController, proxySettingsSpec } from "../../components/ingress/nginx-gateway-fabric";
import { configFiles, helmReleases } from "../../tools/kubernetesObjects";
import { ProgramRun, runProgram } from "../../tools/mockRunner";
import { ControllerInstall } from "../../components/ingress/types";
import { appControllerInstall } from "../support/controllerInstall";
import { validateObjects } from "../support/schemas";
import { fixtureJson, leafPaths, objects, one, oneRelease, renderPlatform, settingsOf } from "./support";
import { clusterSettingsOf } from "../../components/cluster/fromPlatform";

const ngf = { ingress: { controller: "nginx-gateway-fabric" } };

let plain: ProgramRun;
let dev: ProgramRun;
beforeAll(async () => {
  plain = await renderPlatform(ngf);
  dev = await renderPlatform({ environment: "dev", ingress: { controller: "nginx-gateway-fabric" } });
});

describe("nginx-gateway-fabric: the release", () => {
  test("the OCI chart, pinned, in its own restricted namespace, after the pinned Gateway API CRDs", () => {
    const release = oneRelease(plain);
    expect(release.inputs).toMatchObject({
      name: "nginx-gateway-fabric",
      chart: "oci://ghcr.io/nginx/charts/nginx-gateway-fabric",
      version: "2.6.7",
      namespace: "nginx-gateway",
    });
    expect(release.inputs.repositoryOpts).toBeUndefined();
    expect(release.dependsOn.some((d) => d.includes("GatewayApiCrds"))).toBe(true);
    expect(one(plain, "Namespace", "nginx-gateway").metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
  });

  test("values: class name, replicas for both planes, snippets and telemetry off", () => {
    expect(oneRelease(plain).inputs.values).toEqual({
      nginxGateway: {
        gatewayClassName: "nginx",
        replicas: 2,
        snippets: { enable: false },
        snippetsFilters: { enable: false },
        productTelemetry: { enable: false },
        metrics: { enable: true },
      },
      nginx: {
        replicas: 2,
        container: { lifecycle: { preStop: { sleep: { seconds: 10 } } } },
        pod: { terminationGracePeriodSeconds: 10 + 300 + 5 },
      },
    });
  });

  test("every values key path is in the chart's values.schema.json (fixture from v2.6.7)", () => {
    const { paths } = fixtureJson<{ paths: string[] }>("charts", "nginx-gateway-fabric-2.6.7.value-paths.json");
    const known = new Set(paths);
    const ours = leafPaths(fabricValues(clusterSettingsOf(settingsOf(ngf)))).map((p) => p.join("."));
    expect(ours.length).toBeGreaterThan(5);
    // Below a schema leaf that is an open object (nginx.pod, nginx.container.lifecycle) any key is the chart's to pass on.
    const openObject = (p: string) => known.has(p) && ![...known].some((k) => k.startsWith(`${p}.`));
    const underOpenObject = (p: string) => p.split(".").some((_, i, parts) => i > 0 && openObject(parts.slice(0, i).join(".")));
    expect(ours.filter((p) => !known.has(p) && !underOpenObject(p))).toEqual([]);
  });
});

describe("nginx-gateway-fabric: Gateway API route", () => {
  test("one shared Gateway in the controller namespace on 80; the app's HTTPS listener and certificate in a ListenerSet in its namespace", () => {
    const gateway = one(plain, "Gateway");
    expect(gateway.metadata).toMatchObject({ name: "websocket-gateway", namespace: "nginx-gateway" });
    expect(gateway.spec.listeners.map((l: any) => [l.name, l.port, l.protocol])).toEqual([["http", 80, "HTTP"]]);
    const labelled = { from: "Selector", selector: { matchLabels: { "websocket-platform/gateway": "websocket-gateway" } } };
    expect(gateway.spec.listeners[0].allowedRoutes.namespaces).toEqual(labelled);
    expect(gateway.spec.allowedListeners.namespaces).toEqual(labelled);
    expect(one(plain, "Namespace", "chat").metadata.labels!["websocket-platform/gateway"]).toBe("websocket-gateway");
    const listenerSet = one(plain, "ListenerSet", "chat-listeners");
    expect(listenerSet.metadata.namespace).toBe("chat");
    expect(listenerSet.spec).toEqual({
      parentRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "websocket-gateway", namespace: "nginx-gateway" },
      listeners: [
        {
          name: "https-0",
          hostname: "ws.example.com",
          port: 443,
          protocol: "HTTPS",
          tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: one(plain, "Certificate").spec.secretName }] },
        },
      ],
    });
    const route = one(plain, "HTTPRoute", "chat");
    expect(route.metadata.namespace).toBe("chat");
    expect(route.spec.parentRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "ListenerSet", name: "chat-listeners" }]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: "", kind: "Service", name: "chat", port: 8080 }]);
    expect(route.spec.rules[0].filters).toEqual([
      { type: "ResponseHeaderModifier", responseHeaderModifier: { set: [{ name: "Strict-Transport-Security", value: "max-age=31536000" }] } },
    ]);
    expect(one(plain, "HTTPRoute", "chat-redirect").spec.rules[0].filters).toEqual([
      { type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } },
    ]);
  });

  test("idle WebSockets stay open: a ProxySettingsPolicy on the route (HTTPRoute timeouts are not implemented by NGF)", () => {
    const policy = one(plain, "ProxySettingsPolicy");
    expect(policy.spec).toEqual({
      targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "chat" }],
      timeout: { connect: "5s", read: "3600s", send: "3600s" },
      buffering: { disable: true },
    });
    expect(one(plain, "HTTPRoute", "chat").spec.rules[0].timeouts).toBeUndefined();
    // NGF's Duration takes at most four digits.
    expect((proxySettingsSpec(settingsOf({ ...ngf, app: { connectionLifetimeSeconds: 86400 } }), "chat") as any).timeout.read).toBe("1440m");
  });

  test("a disruption budget for the data plane NGF provisions (the chart has none); none for one replica", () => {
    const pdb = objects(plain, "PodDisruptionBudget").find((o) => o.metadata.namespace === "nginx-gateway") as any;
    expect(pdb.spec).toMatchObject({ maxUnavailable: 1, selector: { matchLabels: { "gateway.networking.k8s.io/gateway-name": "websocket-gateway" } } });
    expect(objects(dev, "PodDisruptionBudget").filter((o) => o.metadata.namespace === "nginx-gateway")).toEqual([]);
  });

  test("without TLS: one HTTP listener, the route on it, no redirect", () => {
    expect(one(dev, "Gateway").spec.listeners.map((l: any) => l.name)).toEqual(["http"]);
    expect(objects(dev, "HTTPRoute").map((r) => r.metadata.name)).toEqual(["chat"]);
  });

  test("an existing GatewayClass: nothing installed, routes through it", async () => {
    const run = await renderPlatform({ ingress: { controller: "nginx-gateway-fabric", gatewayClassName: "shared-nginx" } });
    // Only the TLS part's cert-manager is installed; no controller release, no Gateway API CRDs.
    expect(helmReleases(run.resources).map((r) => r.inputs.name)).toEqual(["cert-manager"]);
    expect(configFiles(run.resources)).toEqual([]);
    expect(one(run, "Gateway").spec.gatewayClassName).toBe("shared-nginx");
  });

  test("what NetworkPolicies and cert-manager get: the shared Gateway's data-plane labels and HTTP listener; TLS in the app's namespace", async () => {
    let install: ControllerInstall | undefined;
    await runProgram(() => void (install = appControllerInstall(settingsOf({ ingress: { controller: "nginx-gateway-fabric", gatewayClassName: "nginx" } }))), {
      stack: "test",
      config: {},
    });
    expect(install).toMatchObject({
      namespace: "nginx-gateway",
      podLabels: { "gateway.networking.k8s.io/gateway-name": "websocket-gateway" },
      serviceAccountName: "websocket-gateway-nginx",
      tlsSecretNamespace: "chat",
      routeApi: "gateway",
      sharedGateway: true,
    });
    expect(nginxGatewayFabricController.acmeHttp01Solver(install!, { name: "x", namespace: "chat" })).toMatchObject({
      gatewayHTTPRoute: { parentRefs: [{ name: "websocket-gateway", namespace: "nginx-gateway", sectionName: "http" }] },
    });
  });

  test("every object passes the strict schemas (ProxySettingsPolicy against the NGF v2.6.7 CRD)", () => {
    expect(validateObjects([...objects(plain), ...objects(dev)])).toEqual([]);
    expect(
      validateObjects([{ apiVersion: "gateway.nginx.org/v1alpha1", kind: "ProxySettingsPolicy", metadata: { name: "p" }, spec: { targetRefs: [], timeout: { idle: "1s" } } }]),
    ).toHaveLength(1);
  });
});

describe("durations", () => {
  test("as each controller writes them, and read back", () => {
    expect(secondsText(3600)).toBe("3600s");
    expect(fourDigitDuration(9999)).toBe("9999s");
    expect(fourDigitDuration(10001)).toBe("167m");
    expect(parseDurationSeconds("1h30m", "s")).toBe(5400);
    expect(parseDurationSeconds("3600", "ms")).toBe(3.6);
    expect(parseDurationSeconds(60, "s")).toBe(60);
    expect(parseDurationSeconds("soon", "s")).toBeUndefined();
    expect(parseDurationSeconds("5s x", "s")).toBeUndefined();
  });
});

test("a class name that would make the data plane's name longer than 63 characters is refused at preview, naming the key", () => {
  const className = `c${"x".repeat(45)}`;
  expect(() => settingsOf({ ingress: { controller: "nginx-gateway-fabric", className } })).toThrow(
    `ingress.className: got "${className}"; allowed: at most 45 characters with nginx-gateway-fabric`,
  );
  expect(() => settingsOf({ ingress: { controller: "nginx-gateway-fabric", className: "c".repeat(45) } })).not.toThrow();
});

