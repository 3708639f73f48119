import { haproxyAnnotations, haproxyOrigin, haproxyValues } from "../../components/ingress/haproxy";
import { ProgramRun } from "../../tools/mockRunner";
import { validateObjects } from "../support/schemas";
import { leafPaths, objects, one, oneRelease, pathInValues, renderPlatform, settingsOf, sharedJson, sharedYaml } from "./support";
import { clusterSettingsOf } from "../../components/cluster/fromPlatform";

const full = {
  ingress: {
    controller: "haproxy",
    sessionAffinity: true,
    rateLimit: { requestsPerSecond: 20, burst: 10 },
    cors: { allowOrigins: ["https://app.example.com", "https://*.example.org"] },
  },
};

let plain: ProgramRun;
let rich: ProgramRun;
beforeAll(async () => {
  plain = await renderPlatform({ ingress: { controller: "haproxy" } });
  rich = await renderPlatform(full);
});

interface HaproxyKey {
  key: string;
  ingress: boolean;
  configmap: boolean;
}

describe("haproxy: the release", () => {
  test("the haproxytech chart, pinned, in its own restricted namespace, waiting for its CRD Job", () => {
    expect(oneRelease(plain).inputs).toMatchObject({
      name: "haproxy-kubernetes-ingress",
      chart: "kubernetes-ingress",
      version: "1.52.1",
      repositoryOpts: { repo: "https://haproxytech.github.io/helm-charts" },
      namespace: "haproxy-controller",
      waitForJobs: true,
    });
    expect(one(plain, "Namespace", "haproxy-controller").metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
  });

  test("global timeouts through controller.config, as strings; cookie persistence there when affinity is on", () => {
    expect(oneRelease(plain).inputs.values.controller.config).toEqual({
      "timeout-tunnel": "3600s",
      "timeout-client": "3600s",
      "timeout-server": "3600s",
      "timeout-connect": "5s",
      "hard-stop-after": "300s",
    });
    expect(oneRelease(rich).inputs.values.controller.config["cookie-persistence"]).toBe("ws_affinity");
    expect(oneRelease(plain).inputs.values.controller).toMatchObject({
      replicaCount: 2,
      PodDisruptionBudget: { enable: true, maxUnavailable: 1 },
      ingressClassResource: { name: "haproxy", default: false },
    });
  });
});

describe("haproxy: the route", () => {
  test("an Ingress of the haproxy class with TLS, leastconn, health check on the readiness path, forwarded-for", () => {
    const ingress = one(plain, "Ingress");
    expect(ingress.spec.ingressClassName).toBe("haproxy");
    expect(ingress.spec.tls).toEqual([{ hosts: ["ws.example.com"], secretName: "websocket-tls" }]);
    expect(ingress.metadata.annotations).toEqual({
      "haproxy.org/load-balance": "leastconn",
      "haproxy.org/check": "true",
      "haproxy.org/check-http": "/readyz",
      "haproxy.org/check-interval": "5s",
      "haproxy.org/forwarded-for": "true",
      "haproxy.org/timeout-server": "3600s",
      "haproxy.org/ssl-redirect": "true",
      "haproxy.org/ssl-redirect-code": "301",
      "haproxy.org/response-set-header": 'Strict-Transport-Security "max-age=31536000"',
    });
  });

  test("rate limit and CORS (several origins as one anchored regex) when configured", () => {
    expect(one(rich, "Ingress").metadata.annotations).toMatchObject({
      "haproxy.org/rate-limit-requests": "30",
      "haproxy.org/rate-limit-period": "1s",
      "haproxy.org/rate-limit-status-code": "429",
      "haproxy.org/cors-enable": "true",
      "haproxy.org/cors-allow-origin": "^(https://app\\.example\\.com|https://[a-z0-9-]+\\.example\\.org)$",
      "haproxy.org/cors-allow-credentials": "false",
    });
    expect(haproxyOrigin(["https://app.example.com"])).toBe("https://app.example.com");
    expect(haproxyOrigin(["*"])).toBe("*");
  });

  test("every object passes the strict schemas", () => {
    expect(validateObjects([...objects(plain), ...objects(rich)])).toEqual([]);
  });
});

describe("haproxy: against upstream's catalogues", () => {
  const keys = sharedJson<HaproxyKey[]>("catalog", "haproxy-annotations.json");
  const names = new Set(sharedJson<string[]>("catalog", "haproxy-annotation-names.json"));
  const configKeys = new Set(sharedJson<string[]>("catalog", "haproxy-configmap-keys.json"));
  const defaults = sharedYaml("charts", "kubernetes-ingress", "1.52.1", "values.yaml");
  const templateOnly = new Set(
    sharedJson<{ charts: Record<string, { absentFromValuesYaml: string[] }> }>("catalog", "chart-template-only-values.json").charts["kubernetes-ingress"]
      .absentFromValuesYaml,
  );

  test("every annotation exists and is allowed on Ingress objects (tunnel timeout and cookie persistence are not)", () => {
    const annotations = Object.keys(one(rich, "Ingress").metadata.annotations!);
    expect(annotations.filter((n) => !names.has(n))).toEqual([]);
    const onIngress = new Set(keys.filter((k) => k.ingress).map((k) => k.key));
    expect(annotations.map((n) => n.replace("haproxy.org/", "")).filter((k) => !onIngress.has(k))).toEqual([]);
    expect(onIngress.has("timeout-tunnel")).toBe(false);
    expect(annotations).not.toContain("haproxy.org/cookie-persistence");
  });

  test("every controller.config key is a ConfigMap key; every values path exists in values.yaml", () => {
    const values = haproxyValues(clusterSettingsOf(settingsOf(full))) as any;
    expect(Object.keys(values.controller.config).filter((k) => !configKeys.has(k))).toEqual([]);
    expect(leafPaths(values).filter((p) => !pathInValues(defaults, p) && !templateOnly.has(p.join(".")))).toEqual([]);
    for (const value of Object.values(values.controller.config)) expect(typeof value).toBe("string");
  });

  test("annotations follow the settings (no TLS: no redirect or HSTS)", () => {
    const dev = haproxyAnnotations(settingsOf({ environment: "dev", ingress: { controller: "haproxy" } }));
    expect(dev["haproxy.org/ssl-redirect"]).toBeUndefined();
    expect(dev["haproxy.org/response-set-header"]).toBeUndefined();
  });
});
