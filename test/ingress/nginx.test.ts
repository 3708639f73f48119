import { meshOf } from "../../components/mesh/registry";
import { stackConfigKeys } from "../../components/config/parse";
import { resolvePlatformConfig } from "../../components/config/resolve";
import { nginxAnnotations, nginxController, nginxValues } from "../../components/ingress/nginx";
import { ProgramRun } from "../../tools/mockRunner";
import { validateObjects } from "../support/schemas";
import { leafPaths, objects, one, oneRelease, pathInValues, platformConfig, renderPlatform, settingsOf, sharedJson, sharedYaml } from "./support";
import { clusterSettingsOf } from "../../components/cluster/fromPlatform";

const nginx = { ingress: { controller: "nginx" } };
const full = {
  ingress: {
    controller: "nginx",
    sessionAffinity: true,
    rateLimit: { requestsPerSecond: 20, burst: 50 },
    maxConnectionsPerClient: 10,
    cors: { allowOrigins: ["https://app.example.com", "https://admin.example.com"], allowCredentials: true },
  },
};

const catalogHas = (annotation: string) => sharedJson<string[]>("catalog", "nginx-annotations.json").includes(annotation);

let plain: ProgramRun;
let rich: ProgramRun;
beforeAll(async () => {
  plain = await renderPlatform(nginx);
  rich = await renderPlatform(full);
});

describe("nginx: the release", () => {
  test("pins the final ingress-nginx chart from its official repository, in its own restricted namespace", () => {
    const release = oneRelease(plain).inputs;
    expect(release).toMatchObject({
      name: "ingress-nginx",
      chart: "ingress-nginx",
      version: "4.15.1",
      repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" },
      namespace: "ingress-nginx",
    });
    expect(one(plain, "Namespace", "ingress-nginx").metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
  });

  test("global config: lifetime-long read/send and reload drain, short connect, no buffering, upstream keepalive, HSTS with TLS", () => {
    const values = oneRelease(plain).inputs.values;
    expect(values.controller.config).toEqual({
      "proxy-read-timeout": "3600",
      "proxy-send-timeout": "3600",
      "proxy-connect-timeout": "5",
      "proxy-buffering": "off",
      "proxy-request-buffering": "off",
      "upstream-keepalive-connections": "320",
      "upstream-keepalive-timeout": "60",
      "upstream-keepalive-requests": "10000",
      "worker-shutdown-timeout": "3600s",
      "annotations-risk-level": "High",
      hsts: "true",
      "hsts-max-age": "31536000",
      "hsts-include-subdomains": "false",
    });
    expect(values.controller).toMatchObject({
      allowSnippetAnnotations: false,
      replicaCount: 2,
      minAvailable: 1,
      metrics: { enabled: true },
      ingressClassResource: { name: "nginx", enabled: true, default: false },
    });
  });

  test("the lifetime drives every timeout; dev runs one replica without HSTS", () => {
    const values = nginxValues(clusterSettingsOf(settingsOf({ environment: "dev", ingress: { controller: "nginx" }, app: { connectionLifetimeSeconds: 7200 } }))) as any;
    expect(values.controller.config["proxy-read-timeout"]).toBe("7200");
    expect(values.controller.config["worker-shutdown-timeout"]).toBe("7200s");
    expect(values.controller.config.hsts).toBe("false");
    expect(values.controller.replicaCount).toBe(1);
  });

  test("user values (ingress.values) are deep-merged over ours, for what is not modelled", async () => {
    const run = await renderPlatform({
      ingress: { controller: "nginx", values: { controller: { config: { "use-gzip": "true" }, service: { type: "NodePort" } } } },
    });
    const values = oneRelease(run).inputs.values;
    expect(values.controller.config).toMatchObject({ "use-gzip": "true", "proxy-read-timeout": "3600" });
    expect(values.controller.service).toEqual({ type: "NodePort" });
    expect(values.controller.allowSnippetAnnotations).toBe(false);
  });

  test("preview warns that ingress-nginx is retired and names the Gateway API path", () => {
    const { warnings } = resolvePlatformConfig(platformConfig(nginx), stackConfigKeys);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("retired in March 2026");
    // ingress-nginx cannot refuse by Origin without snippets: the second warning says the app's check is the only line.
    expect(warnings[1]).toMatch(/^websocket-platform:ingress\.allowedOrigins: nginx cannot check the Origin header at the edge: .*snippet.*the app's own check .* is the only line/);
    expect(warnings[0]).toContain("nginx-gateway-fabric");
    expect(warnings[0]).toContain("ingress.api gateway");
    expect(resolvePlatformConfig(platformConfig({ ingress: { controller: "traefik" } }), stackConfigKeys).warnings).toEqual([]);
  });
});

describe("nginx: the route", () => {
  test("an Ingress of the nginx class to the app's Service, with TLS on the app's hosts", () => {
    const ingress = one(plain, "Ingress");
    expect(ingress.metadata.namespace).toBe("chat");
    expect(ingress.spec).toEqual({
      ingressClassName: "nginx",
      tls: [{ hosts: ["ws.example.com"], secretName: "websocket-tls" }],
      rules: [
        {
          host: "ws.example.com",
          http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "chat", port: { number: 8080 } } } }] },
        },
      ],
    });
  });

  test("plain route: timeouts, no buffering, TLS redirect, nothing else", () => {
    expect(one(plain, "Ingress").metadata.annotations).toEqual({
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
      "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
      "nginx.ingress.kubernetes.io/proxy-connect-timeout": "5",
      "nginx.ingress.kubernetes.io/proxy-buffering": "off",
      "nginx.ingress.kubernetes.io/proxy-request-buffering": "off",
      "nginx.ingress.kubernetes.io/ssl-redirect": "true",
    });
  });

  test("affinity, limits and CORS when configured; never upstream-hash-by", () => {
    const annotations = one(rich, "Ingress").metadata.annotations!;
    expect(annotations).toMatchObject({
      "nginx.ingress.kubernetes.io/affinity": "cookie",
      "nginx.ingress.kubernetes.io/affinity-mode": "persistent",
      "nginx.ingress.kubernetes.io/session-cookie-name": "ws_affinity",
      "nginx.ingress.kubernetes.io/session-cookie-secure": "true",
      "nginx.ingress.kubernetes.io/session-cookie-samesite": "Lax",
      "nginx.ingress.kubernetes.io/limit-rps": "20",
      "nginx.ingress.kubernetes.io/limit-burst-multiplier": "3",
      "nginx.ingress.kubernetes.io/limit-connections": "10",
      "nginx.ingress.kubernetes.io/enable-cors": "true",
      "nginx.ingress.kubernetes.io/cors-allow-origin": "https://app.example.com, https://admin.example.com",
      "nginx.ingress.kubernetes.io/cors-allow-credentials": "true",
    });
    expect(Object.keys(annotations)).not.toContain("nginx.ingress.kubernetes.io/upstream-hash-by");
  });

  test("without TLS: no redirect, affinity cookie not Secure", () => {
    const annotations = nginxAnnotations(settingsOf({ environment: "dev", ingress: { controller: "nginx", sessionAffinity: true } }), false);
    expect(annotations["nginx.ingress.kubernetes.io/ssl-redirect"]).toBeUndefined();
    expect(annotations["nginx.ingress.kubernetes.io/session-cookie-secure"]).toBe("false");
  });

  test("behind an Istio sidecar mesh the Ingress sends to the Service (mTLS and the DestinationRule apply); not in ambient or without Istio", () => {
    // The mesh strategy says whether it needs the Service's address; the nginx strategy says how it sends there.
    const annotations = (mesh: Record<string, unknown>) => {
      const settings = settingsOf({ ingress: { controller: "nginx" }, mesh });
      return nginxAnnotations(settings, meshOf(settings).needsServiceAddress(settings.mesh));
    };
    expect(annotations({ provider: "istio" })["nginx.ingress.kubernetes.io/service-upstream"]).toBe("true");
    expect(annotations({ provider: "istio", istio: { mode: "ambient" } })["nginx.ingress.kubernetes.io/service-upstream"]).toBeUndefined();
    expect(annotations({ provider: "linkerd" })["nginx.ingress.kubernetes.io/service-upstream"]).toBeUndefined();
    expect(catalogHas("nginx.ingress.kubernetes.io/service-upstream")).toBe(true);
  });

  test("cert-manager solves HTTP-01 through an Ingress of the class", () => {
    const install = { className: "nginx" } as Parameters<typeof nginxController.acmeHttp01Solver>[0];
    expect(nginxController.acmeHttp01Solver(install, { name: "x", namespace: "chat" })).toEqual({ ingress: { ingressClassName: "nginx", serviceType: "ClusterIP" } });
  });

  test("every object passes the strict schemas", () => {
    expect(validateObjects([...objects(plain), ...objects(rich)])).toEqual([]);
  });
});

describe("nginx: against upstream's catalogues", () => {
  const catalog = new Set(sharedJson<string[]>("catalog", "nginx-annotations.json"));
  const meta = sharedJson<{ items: { annotation: string; riskDoc?: { risk: string } }[] }>("catalog", "nginx-annotations.meta.json");
  const configKeys = new Set(sharedJson<string[]>("catalog", "nginx-configmap-keys.json"));
  const defaults = sharedYaml("charts", "ingress-nginx", "4.15.1", "values.yaml");
  const templateOnly = new Set(
    sharedJson<{ charts: Record<string, { absentFromValuesYaml: string[] }> }>("catalog", "chart-template-only-values.json").charts["ingress-nginx"]
      .absentFromValuesYaml,
  );

  test("every annotation is in ingress-nginx's catalogue, none of Critical risk", () => {
    const names = Object.keys(one(rich, "Ingress").metadata.annotations!);
    expect(names.length).toBeGreaterThan(15);
    expect(names.filter((n) => !catalog.has(n))).toEqual([]);
    const critical = meta.items.filter((i) => i.riskDoc?.risk === "Critical").map((i) => i.annotation);
    expect(names.filter((n) => critical.includes(n))).toEqual([]);
  });

  test("every values key exists in the chart's values.yaml; every controller.config key in the ConfigMap catalogue", () => {
    const values = nginxValues(clusterSettingsOf(settingsOf(full)));
    const paths = leafPaths(values);
    expect(paths.filter((p) => !pathInValues(defaults, p) && !templateOnly.has(p.join(".")))).toEqual([]);
    const config = Object.keys((values as any).controller.config);
    expect(config.filter((k) => !configKeys.has(k))).toEqual([]);
    // The chart writes this key itself from allowSnippetAnnotations; a second one would duplicate it.
    expect(config).not.toContain("allow-snippet-annotations");
  });
});
