import Ajv from "ajv";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "../components/charts";
import { PlatformArgs } from "../components/config/schema/platform";
import { WebSocketPlatform } from "../components/platform";
import { certManagerValues } from "../components/tls/certManager";
import { strictTransportSecurity } from "../components/tls/hsts";
import { Tls } from "../components/tls/tls";
import { deepMerge } from "../components/config/merge";
import { helmReleases, kubernetesObjects, KubernetesObject } from "../tools/kubernetesObjects";
import { ProgramRun, RegisteredResource, runProgram, settleProgram } from "../tools/mockRunner";
import { tlsSecretReferences } from "./support/tlsSecretReferences";
import { ClusterPod, NetworkPolicyObject, connectionAllowed } from "./support/networkPolicyEvaluator";
import { sharedDir, validateObjects } from "./support/schemas";

const image = "ghcr.io/acme/chat:1.4.2";
const email = "ops@example.org";


interface PlatformRun extends ProgramRun {
  protectedKeys: string[];
}

/** One platform under the mocks; also records which resources asked for `protect`. */
async function platform(args: Args): Promise<PlatformRun> {
  const protectedKeys: string[] = [];
  const run = await runProgram(
    () => {
      pulumi.runtime.registerStackTransformation((t) => {
        if (t.opts.protect) protectedKeys.push(`${t.type}::${t.name}`);
        return undefined;
      });
      new WebSocketPlatform("websocket", { app: { name: "echo", image }, ...args } as PlatformArgs);
      return {};
    },
    { stack: "tls-test", config: {} },
  );
  return { ...run, protectedKeys };
}

const objects = (run: ProgramRun, kind: string) => kubernetesObjects(run.resources).filter((o) => o.kind === kind);
const byName = (run: ProgramRun, kind: string, name: string) => {
  const found = objects(run, kind).filter((o) => o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.map((o) => o.metadata.name).join(", ") || "none"}`);
  return found[0] as KubernetesObject & { spec: any };
};
const resourceOf = (run: ProgramRun, kind: string, name: string): RegisteredResource =>
  run.resources.find((r) => r.custom && (r.inputs as KubernetesObject).kind === kind && (r.inputs as KubernetesObject).metadata?.name === name)!;
const certManagerRelease = (run: ProgramRun) => {
  const releases = helmReleases(run.resources).filter((r) => String(r.inputs.chart).endsWith("/cert-manager"));
  expect(releases).toHaveLength(1);
  return releases[0];
};

type Args = Partial<PlatformArgs> & { ingress: PlatformArgs["ingress"] };
const prodNginx: Args = { environment: "prod", ingress: { controller: "nginx", hosts: ["ws.example.com", "api.example.com"] }, tls: { email } };

describe("cert-manager install", () => {
  test("the pinned OCI chart, CRDs from the chart and kept, awaited with its hooks", async () => {
    const run = await platform(prodNginx);
    const release = certManagerRelease(run);
    expect(release.inputs).toMatchObject({
      name: "cert-manager",
      chart: "oci://quay.io/jetstack/charts/cert-manager",
      version: "v1.21.1",
      namespace: "cert-manager",
      atomic: true,
      values: { crds: { enabled: true, keep: true }, startupapicheck: { enabled: true } },
    });
    expect(release.inputs.repositoryOpts).toBeUndefined();
    // Either would let Issuers race the webhook (disableWebhooks is Helm's DisableHooks on install).
    expect(release.inputs.skipAwait).not.toBe(true);
    expect(release.inputs.disableWebhooks).not.toBe(true);
    expect(release.inputs.values.installCRDs).toBeUndefined();
    const ns = byName(run, "Namespace", "cert-manager");
    expect(ns.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
  });

  test("prod protects the release from deletion; staging does not", async () => {
    const prod = await platform(prodNginx);
    expect(prod.protectedKeys).toEqual([certManagerRelease(prod).key]);
    const staging = await platform({ ...prodNginx, environment: "staging" });
    expect(staging.protectedKeys).toEqual([]);
  });

  test("tls.certManager.install false uses the existing cert-manager: no release, no namespace; objects wait only for namespaces", async () => {
    const run = await platform({ ...prodNginx, tls: { email, certManager: { install: false } } });
    expect(helmReleases(run.resources).map((r) => r.inputs.name)).toEqual(["ingress-nginx"]);
    expect(objects(run, "Namespace").map((n) => n.metadata.name)).not.toContain("cert-manager");
    for (const issuerOrCertificate of [resourceOf(run, "Issuer", "websocket-tls-letsencrypt"), resourceOf(run, "Certificate", "websocket-tls")]) {
      expect(issuerOrCertificate.dependsOn.map((key) => run.resources.find((r) => r.key === key)!.type)).toEqual([
        "websocket-platform:index:PlatformNamespace",
        "websocket-platform:index:PlatformNamespace",
      ]);
    }
  });

  test("user chart values are deep-merged over ours", async () => {
    const run = await platform({ ...prodNginx, tls: { email, certManager: { values: { replicaCount: 2, crds: { keep: true } } } } });
    expect(certManagerRelease(run).inputs.values).toMatchObject({ replicaCount: 2, crds: { enabled: true, keep: true } });
  });

  describe("every value we set passes the chart's strict values.schema.json (v1.21.1)", () => {
    const chartDir = path.join(sharedDir, "upstream", "charts", "cert-manager", charts.certManager.version);
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(fs.readFileSync(path.join(chartDir, "values.schema.json"), "utf8")));
    test.each([
      ["Ingress routes", prodNginx],
      ["Gateway API routes", { ...prodNginx, ingress: { controller: "nginx-gateway-fabric", hosts: ["ws.example.com"] } }],
      ["user values merged in", { ...prodNginx, tls: { email, certManager: { values: { replicaCount: 2, dns01RecursiveNameserversOnly: true } } } }],
    ] as [string, Args][])("%s: the values the release receives", async (_, args) => {
      const values = certManagerRelease(await platform(args)).inputs.values;
      expect(validate(values) ? [] : validate.errors).toEqual([]);
    });

    test("the schema is strict: a misspelt key fails", () => {
      expect(validate(deepMerge(certManagerValues({}), { crds: { enable: true } }))).toBe(false);
    });
  });
});

describe("no race with cert-manager's webhook on the first pulumi up", () => {
  test("every Issuer and Certificate depends on the cert-manager component, whose release is awaited", async () => {
    for (const issuer of ["letsencrypt", "selfsigned"] as const) {
      const run = await platform({ ...prodNginx, tls: { email, issuer } });
      const component = run.resources.find((r) => r.type === "websocket-platform:index:CertManager")!;
      expect(certManagerRelease(run).parent).toBe(component.key);
      const certManagerObjects = run.resources.filter((r) => r.custom && String((r.inputs as KubernetesObject).apiVersion).startsWith("cert-manager.io/"));
      expect(certManagerObjects.length).toBeGreaterThanOrEqual(issuer === "selfsigned" ? 4 : 2);
      for (const r of certManagerObjects) expect(r.dependsOn).toContain(component.key);
    }
  });

  test("cert-manager starts after the Gateway API CRDs it watches, not after the controller's release", async () => {
    const run = await platform({ ...prodNginx, ingress: { controller: "nginx-gateway-fabric", hosts: ["ws.example.com"] } });
    const crds = run.resources.find((r) => r.type === "websocket-platform:index:GatewayApiCrds")!;
    const component = run.resources.find((r) => r.type === "websocket-platform:index:CertManager")!;
    expect(component.dependsOn).toContain(crds.key);
    const controllerRelease = helmReleases(run.resources).find((r) => r.inputs.name !== "cert-manager")!;
    expect(component.dependsOn).not.toContain(controllerRelease.key);
    expect(certManagerRelease(run).inputs.values.config).toEqual({ gatewayAPI: { enabled: true } });
  });
});

describe("issuers, solvers and certificates", () => {
  test("letsencrypt with HTTP-01 through an Ingress controller: ingressClassName, the production directory", async () => {
    const run = await platform(prodNginx);
    const issuer = byName(run, "Issuer", "websocket-tls-letsencrypt");
    expect(issuer.metadata.namespace).toBe("websocket");
    expect(issuer.spec).toEqual({
      acme: {
        server: "https://acme-v02.api.letsencrypt.org/directory",
        email,
        privateKeySecretRef: { name: "websocket-tls-letsencrypt-account" },
        solvers: [{ http01: { ingress: { ingressClassName: "nginx", serviceType: "ClusterIP" } } }],
      },
    });
    const cert = byName(run, "Certificate", "websocket-tls");
    expect(cert.spec).toMatchObject({
      secretName: "websocket-tls",
      dnsNames: ["ws.example.com", "api.example.com"],
      issuerRef: { name: "websocket-tls-letsencrypt", kind: "Issuer", group: "cert-manager.io" },
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
    });
    expect(cert.spec.commonName).toBeUndefined();
    expect(cert.metadata.annotations).toEqual({ "pulumi.com/skipAwait": "true" });
  });

  test("staging uses Let's Encrypt's staging directory and its own account key", async () => {
    const run = await platform({ ...prodNginx, environment: "staging" });
    const issuer = byName(run, "Issuer", "websocket-tls-letsencrypt-staging");
    expect(issuer.spec.acme.server).toBe("https://acme-staging-v02.api.letsencrypt.org/directory");
    expect(issuer.spec.acme.privateKeySecretRef).toEqual({ name: "websocket-tls-letsencrypt-staging-account" });
    expect(byName(run, "Certificate", "websocket-tls").spec.issuerRef.name).toBe("websocket-tls-letsencrypt-staging");
  });

  test("Gateway API: HTTP-01 through gatewayHTTPRoute with the controller's parentRefs", async () => {
    const run = await platform({ ...prodNginx, ingress: { controller: "nginx-gateway-fabric", hosts: ["ws.example.com"] } });
    expect(byName(run, "Issuer", "websocket-tls-letsencrypt").spec.acme.solvers).toEqual([
      {
        http01: {
          gatewayHTTPRoute: {
            serviceType: "ClusterIP",
            parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "websocket-gateway", namespace: "nginx-gateway", sectionName: "http" }],
          },
        },
      },
    ]);
  });

  test("Istio gateway: Issuer, Certificate and Secret live in the gateway's namespace", async () => {
    const run = await platform({ ...prodNginx, ingress: { controller: "istio", hosts: ["ws.example.com"] } });
    for (const kind of ["Issuer", "Certificate"]) {
      expect(objects(run, kind).map((o) => o.metadata.namespace)).toEqual(["istio-ingress"]);
    }
  });

  test("DNS-01 through Cloudflare: the token only as a Secret reference; wildcards are fine", async () => {
    const run = await platform({
      ...prodNginx,
      ingress: { controller: "nginx", hosts: ["*.example.com", "example.com"] },
      tls: { email, solver: "dns01", dns01: { provider: "cloudflare", cloudflare: { apiTokenSecretRef: { name: "cloudflare-token" } } } },
    });
    expect(byName(run, "Issuer", "websocket-tls-letsencrypt").spec.acme.solvers).toEqual([
      { dns01: { cloudflare: { apiTokenSecretRef: { name: "cloudflare-token", key: "api-token" } } } },
    ]);
    expect(byName(run, "Certificate", "websocket-tls").spec.dnsNames).toEqual(["*.example.com", "example.com"]);
  });

  test("DNS-01 through Route53: region, zone, role and both keys as Secret references", async () => {
    const run = await platform({
      ...prodNginx,
      tls: {
        email,
        solver: "dns01",
        dns01: {
          provider: "route53",
          route53: {
            region: "eu-west-1",
            hostedZoneID: "Z0123456789ABC",
            role: "arn:aws:iam::123456789012:role/dns-manager",
            accessKeyIDSecretRef: { name: "route53" },
            secretAccessKeySecretRef: { name: "route53", key: "secret" },
          },
        },
      },
    });
    expect(byName(run, "Issuer", "websocket-tls-letsencrypt").spec.acme.solvers).toEqual([
      {
        dns01: {
          route53: {
            region: "eu-west-1",
            hostedZoneID: "Z0123456789ABC",
            role: "arn:aws:iam::123456789012:role/dns-manager",
            accessKeyIDSecretRef: { name: "route53", key: "access-key-id" },
            secretAccessKeySecretRef: { name: "route53", key: "secret" },
          },
        },
      },
    ]);
  });

  test("selfsigned: a proper CA chain (self-signed issuer, root CA certificate, CA issuer) signs the hosts", async () => {
    const run = await platform({ ...prodNginx, environment: "dev", tls: { enabled: true } });
    const root = byName(run, "Issuer", "websocket-tls-selfsigned-root");
    expect(root.spec).toEqual({ selfSigned: {} });
    const ca = byName(run, "Certificate", "websocket-tls-ca");
    expect(ca.spec).toMatchObject({
      isCA: true,
      secretName: "websocket-tls-ca",
      issuerRef: { name: "websocket-tls-selfsigned-root", kind: "Issuer" },
      privateKey: { algorithm: "ECDSA", rotationPolicy: "Never" },
    });
    expect(ca.metadata.annotations?.["pulumi.com/waitFor"]).toBe("condition=Ready");
    const caIssuer = byName(run, "Issuer", "websocket-tls-ca");
    expect(caIssuer.spec).toEqual({ ca: { secretName: "websocket-tls-ca" } });
    expect(resourceOf(run, "Issuer", "websocket-tls-ca").dependsOn).toContain(resourceOf(run, "Certificate", "websocket-tls-ca").key);
    expect(byName(run, "Certificate", "websocket-tls").spec.issuerRef.name).toBe("websocket-tls-ca");
    expect(objects(run, "Issuer").some((i) => (i as any).spec.acme)).toBe(false);
  });

  test.each([
    ["letsencrypt via Ingress", prodNginx],
    ["letsencrypt-staging with DNS-01 via Traefik", { ...prodNginx, environment: "staging", ingress: { controller: "traefik", hosts: ["*.example.com"], allowedOrigins: ["https://app.example.com"] }, tls: { email, solver: "dns01", dns01: { provider: "cloudflare", cloudflare: { apiTokenSecretRef: { name: "cf" } } } } }],
    ["letsencrypt via Gateway API", { ...prodNginx, ingress: { controller: "nginx-gateway-fabric", hosts: ["ws.example.com"] } }],
    ["selfsigned via Istio", { ...prodNginx, environment: "dev", ingress: { controller: "istio", hosts: ["ws.example.com"] }, tls: { enabled: true } }],
  ] as [string, Args][])("%s: every rendered object passes the strict upstream schemas", async (_, args) => {
    const run = await platform(args);
    expect(objects(run, "Certificate").length).toBeGreaterThan(0);
    expect(validateObjects(kubernetesObjects(run.resources))).toEqual([]);
  });
});

describe("the certificate's Secret is wired into the chosen route", () => {
  test.each([
    ["nginx", "networking.k8s.io/Ingress", "websocket"],
    ["traefik", "traefik.io/IngressRoute", "websocket"],
    // A ListenerSet in the app's namespace carries the app's HTTPS listener on the shared Gateway.
    ["nginx-gateway-fabric", "gateway.networking.k8s.io/ListenerSet", "websocket"],
    ["istio", "networking.istio.io/Gateway", "istio-ingress"],
  ])("%s: the route serves the Certificate's Secret from the Certificate's namespace", async (controller, kind, namespace) => {
    const run = await platform({ ...prodNginx, ingress: { controller: controller as "nginx", hosts: ["ws.example.com"] } });
    const cert = byName(run, "Certificate", "websocket-tls");
    expect(cert.metadata.namespace).toBe(namespace);
    const refs = tlsSecretReferences(kubernetesObjects(run.resources));
    expect(refs).toEqual([{ kind, namespace: expect.anything(), secretName: cert.spec.secretName }]);
    // Ingress and Gateway API refs are in the route's namespace; Istio's credentialName in the gateway's.
    expect(refs[0].namespace === namespace || refs[0].namespace === undefined).toBe(true);
  });

  test("tls.secretName names the Secret on both sides", async () => {
    const run = await platform({ ...prodNginx, tls: { email, secretName: "chat-tls" } });
    expect(byName(run, "Certificate", "websocket-tls").spec.secretName).toBe("chat-tls");
    expect(tlsSecretReferences(kubernetesObjects(run.resources)).map((r) => r.secretName)).toEqual(["chat-tls"]);
  });

  test("TLS off: no cert-manager, no Certificate, no TLS on the route", async () => {
    const run = await platform({ ...prodNginx, environment: "dev" });
    expect(helmReleases(run.resources).map((r) => r.inputs.name)).toEqual(["ingress-nginx"]);
    expect(objects(run, "Certificate")).toEqual([]);
    expect(tlsSecretReferences(kubernetesObjects(run.resources))).toEqual([]);
  });

  test("HSTS value for routes when TLS is on, none when off", () => {
    const hsts = { maxAgeSeconds: 31536000, includeSubDomains: false };
    expect(strictTransportSecurity({ enabled: true, hsts })).toBe("max-age=31536000");
    expect(strictTransportSecurity({ enabled: true, hsts: { maxAgeSeconds: 600, includeSubDomains: true } })).toBe("max-age=600; includeSubDomains");
    expect(strictTransportSecurity({ enabled: false, hsts })).toBeUndefined();
  });
});

describe("HTTP-01 solver pods are reachable under the app namespace's default deny", () => {
  // Before: the app namespace's default-deny policy also selected cert-manager's solver pods, so no challenge could pass.
  const controllers: Record<string, ClusterPod> = {
    nginx: { namespace: "ingress-nginx", labels: { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/instance": "ingress-nginx", "app.kubernetes.io/component": "controller" }, ip: "10.9.0.1" },
    traefik: { namespace: "traefik", labels: { "app.kubernetes.io/name": "traefik", "app.kubernetes.io/instance": "traefik-traefik" }, ip: "10.9.0.2" },
    haproxy: { namespace: "haproxy-controller", labels: { "app.kubernetes.io/name": "kubernetes-ingress", "app.kubernetes.io/instance": "haproxy-kubernetes-ingress" }, ip: "10.9.0.3" },
  };
  const policiesOf = (run: ProgramRun) => objects(run, "NetworkPolicy") as unknown as NetworkPolicyObject[];

  test.each(Object.keys(controllers))("%s reaches the solver on 8089; nothing else does", async (controller) => {
    const run = await platform({ ...prodNginx, ingress: { controller: controller as "nginx", hosts: ["ws.example.com"] } });
    const policies = policiesOf(run);
    const appNamespace = byName(run, "Certificate", "websocket-tls").metadata.namespace!;
    expect(policies.some((p) => (p.metadata.name ?? "").endsWith("default-deny") && p.metadata.namespace === appNamespace)).toBe(true);
    const solver: ClusterPod = { namespace: appNamespace, labels: { "acme.cert-manager.io/http01-solver": "true", "acme.cert-manager.io/http-token": "123" }, ip: "10.1.0.9" };
    const cluster = { namespaces: [{ name: appNamespace }, { name: controllers[controller].namespace }] };
    const from = controllers[controller];
    expect(connectionAllowed(policies, cluster, { from, to: solver, port: 8089 })).toBe(true);
    expect(connectionAllowed(policies, cluster, { from, to: solver, port: 8080 })).toBe(false);
    const neighbour: ClusterPod = { namespace: from.namespace, labels: { app: "other" }, ip: "10.9.9.9" };
    expect(connectionAllowed(policies, cluster, { from: neighbour, to: solver, port: 8089 })).toBe(false);
    expect(validateObjects(objects(run, "NetworkPolicy"))).toEqual([]);
  });

  test.each([
    ["linkerd", "nginx", { provider: "linkerd" }, { annotations: { "linkerd.io/inject": "disabled" } }],
    ["istio sidecar", "haproxy", { provider: "istio" }, { labels: { "sidecar.istio.io/inject": "false" } }],
    ["istio ambient", "traefik", { provider: "istio", istio: { mode: "ambient" } }, { labels: { "istio.io/dataplane-mode": "none" } }],
  ])("with %s (%s), solver pods stay out of the app's mesh", async (_, controller, mesh, metadata) => {
    // Before: a meshed solver's proxy could not reach its control plane through the default deny, and never became ready.
    const run = await platform({ ...prodNginx, ingress: { controller: controller as "nginx", hosts: ["ws.example.com"] }, mesh: mesh as PlatformArgs["mesh"] });
    const solver = byName(run, "Issuer", "websocket-tls-letsencrypt").spec.acme.solvers[0].http01.ingress;
    expect(solver.podTemplate).toEqual({ metadata });
    expect(validateObjects(objects(run, "Issuer"))).toEqual([]);
  });

  test("no solver policy where no solver pod runs under the app's default deny (DNS-01, self-signed, an app Gateway in the controller namespace)", async () => {
    const runs = [
      await platform({ ...prodNginx, tls: { email, solver: "dns01", dns01: { provider: "cloudflare", cloudflare: { apiTokenSecretRef: { name: "cf" } } } } }),
      await platform({ ...prodNginx, tls: { email, issuer: "selfsigned" } }),
      await platform({ ...prodNginx, ingress: { controller: "traefik", api: "gateway", hosts: ["ws.example.com"] } }),
    ];
    for (const run of runs) {
      expect(policiesOf(run).length).toBeGreaterThan(0);
      expect(policiesOf(run).filter((p) => (p.metadata.name ?? "").endsWith("acme-solver"))).toEqual([]);
    }
  });
});

describe("tls.hsts reaches every route", () => {
  // Before: every controller sent a fixed max-age=31536000 without includeSubDomains, whatever tls.hsts said.
  const hstsOf: Record<string, (run: ProgramRun) => unknown> = {
    nginx: (run) => {
      const config = helmReleases(run.resources).find((r) => r.inputs.name === "ingress-nginx")!.inputs.values.controller.config;
      return `max-age=${config["hsts-max-age"]}${config["hsts-include-subdomains"] === "true" ? "; includeSubDomains" : ""}`;
    },
    traefik: (run) => {
      const headers = byName(run, "Middleware", "echo-headers").spec.headers;
      return `max-age=${headers.stsSeconds}${headers.stsIncludeSubdomains ? "; includeSubDomains" : ""}`;
    },
    haproxy: (run) => byName(run, "Ingress", "echo").metadata.annotations!["haproxy.org/response-set-header"],
    "nginx-gateway-fabric": (run) =>
      byName(run, "HTTPRoute", "echo").spec.rules[0].filters.find((f: any) => f.type === "ResponseHeaderModifier").responseHeaderModifier.set,
    istio: (run) => byName(run, "VirtualService", "echo-websocket").spec.http[0].headers.response.set,
  };
  const expected: Record<string, unknown> = {
    nginx: "max-age=600; includeSubDomains",
    traefik: "max-age=600; includeSubDomains",
    haproxy: 'Strict-Transport-Security "max-age=600; includeSubDomains"',
    "nginx-gateway-fabric": [{ name: "Strict-Transport-Security", value: "max-age=600; includeSubDomains" }],
    istio: { "Strict-Transport-Security": "max-age=600; includeSubDomains" },
  };
  test.each(Object.keys(hstsOf))("%s sends the configured Strict-Transport-Security", async (controller) => {
    const run = await platform({
      ...prodNginx,
      ingress: { controller: controller as "nginx", hosts: ["ws.example.com"] },
      tls: { email, hsts: { maxAgeSeconds: 600, includeSubDomains: true } },
    });
    expect(hstsOf[controller](run)).toEqual(expected[controller]);
    expect(validateObjects(kubernetesObjects(run.resources))).toEqual([]);
  });
});

describe("Tls on its own", () => {
  const standalone = (args: ConstructorParameters<typeof Tls>[1]) =>
    runProgram(
      () => {
        new Tls("chat-tls", args);
        return {};
      },
      { stack: "tls-test", config: {} },
    );

  test("selfsigned by default, in the namespace given", async () => {
    const run = await standalone({ hosts: ["chat.example.org"], namespace: "chat" });
    expect(objects(run, "Certificate").map((c) => [c.metadata.namespace, c.metadata.name])).toEqual([
      ["chat", "chat-tls-ca"],
      ["chat", "chat-tls"],
    ]);
  });

  test("ACME with HTTP-01 needs the controller's solver, named in the error", async () => {
    await expect(standalone({ hosts: ["chat.example.org"], namespace: "chat", issuer: "letsencrypt", email })).rejects.toThrow(
      "Tls args.http01Solver: got nothing (the key is missing); allowed: the ingress controller's HTTP-01 solver",
    );
  });

  test("enabled false is refused: leaving the component out is how TLS is turned off", async () => {
    await expect(standalone({ hosts: ["chat.example.org"], namespace: "chat", enabled: false })).rejects.toThrow(
      "Tls args.enabled: got false; allowed: true (to serve plain ws://, leave the Tls component out)",
    );
  });

  test("a wildcard host with HTTP-01 is refused before anything is registered", async () => {
    const run = await settleProgram(
      () => {
        new Tls("chat-tls", { hosts: ["*.example.org"], namespace: "chat", issuer: "letsencrypt", email, http01Solver: { ingress: { ingressClassName: "nginx" } } });
        return {};
      },
      { stack: "tls-test", config: {} },
    );
    expect(String(run.error)).toMatch(/Tls args\.solver: got "http01"; allowed: "dns01": HTTP-01 cannot issue wildcard certificates \(\*\.example\.org\)/);
    expect(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
  });
});
