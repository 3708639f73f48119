import { stackConfigKeys } from "../../components/config/parse";
import { resolvePlatformConfig } from "../../components/config/resolve";
import { PlatformArgs } from "../../components/config/schema/platform";
import { WebSocketPlatform } from "../../components/platform";
import { kubernetesObjects } from "../../tools/kubernetesObjects";
import { ProgramRun, runProgram, runStack } from "../../tools/mockRunner";
import { readStackFile } from "../../tools/stackConfig";
import { configErrorOf } from "../support/configErrors";
import { validateObjects } from "../support/schemas";

/** The smoke test wired to a controller and TLS (stand-in controllers until the real strategies merge). */

const pem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUfake\n-----END CERTIFICATE-----\n";

async function platform(args: Partial<PlatformArgs>): Promise<ProgramRun> {
  return runProgram(
    () => {
      new WebSocketPlatform("websocket", {
        environment: "dev",
        app: { name: "echo", image: "ghcr.io/acme/echo:1.0.0" },
        ingress: { controller: "nginx", hosts: ["ws.example.com"] },
        ...args,
      } as PlatformArgs);
      return {};
    },
    { stack: "smoke-test", config: {} },
  );
}

const jobOf = (run: ProgramRun) => kubernetesObjects(run.resources).find((o) => o.kind === "Job") as any;
const envOf = (job: any) => Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));

test("self-signed issuer: the Job trusts its root CA Secret and waits for the route and the certificate", async () => {
  const run = await platform({ tls: { enabled: true, issuer: "selfsigned" } });
  const objects = kubernetesObjects(run.resources);
  const rootCa = objects.find((o) => o.kind === "Certificate" && (o.spec as any).isCA === true) as any;
  const job = jobOf(run);
  expect(job.metadata.namespace).toBe("websocket");
  expect(job.spec.template.spec.volumes).toContainEqual({
    name: "ca",
    secret: { secretName: rootCa.spec.secretName, items: [{ key: "ca.crt", path: "ca.crt" }], defaultMode: 0o444 },
  });
  expect(envOf(job)).toMatchObject({ SMOKE_URL: "wss://ws.example.com/", NODE_EXTRA_CA_CERTS: "/etc/smoke-ca/ca.crt" });
  const jobResource = run.resources.find((r) => r.type === "kubernetes:batch/v1:Job")!;
  expect(jobResource.dependsOn).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^websocket-platform:index:WebSocketRoute::websocket-route$/),
      expect.stringMatching(/^websocket-platform:index:Tls::/),
      expect.stringMatching(/^websocket-platform:index:WebSocketApp::/),
    ]),
  );
  expect(validateObjects(objects.filter((o) => ["Job", "ConfigMap"].includes(o.kind)))).toEqual([]);
});

test("Istio gateway: the CA Secret lives in the gateway's namespace, so the Job runs there", async () => {
  const run = await platform({ ingress: { controller: "istio", hosts: ["ws.example.com"] }, tls: { enabled: true, issuer: "selfsigned" } });
  expect(jobOf(run).metadata.namespace).toBe("istio-ingress");
});

test("ACME issuers: public roots, no CA volume; caPem adds roots through the script's ConfigMap", async () => {
  const acme = { enabled: true, issuer: "letsencrypt-staging" as const, email: "ops@example.org" };
  const plain = jobOf(await platform({ tls: acme }));
  expect(plain.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(["script"]);
  expect(envOf(plain).NODE_EXTRA_CA_CERTS).toBeUndefined();

  const run = await platform({ tls: acme, smokeTest: { enabled: true, caPem: pem } });
  const configMap = kubernetesObjects(run.resources).find((o) => o.kind === "ConfigMap" && (o as any).data?.["extra-ca.crt"]) as any;
  expect(configMap.data["extra-ca.crt"]).toBe(pem);
  expect(envOf(jobOf(run)).NODE_EXTRA_CA_CERTS).toBe("/smoke/extra-ca.crt");
});

test("Let's Encrypt staging without caPem warns at preview; caPem with the self-signed issuer is refused", () => {
  const base = { environment: "staging", app: { image: "ghcr.io/acme/echo:1.0.0" }, ingress: { hosts: ["ws.example.com"] } };
  const { warnings } = resolvePlatformConfig({ ...base, tls: { issuer: "letsencrypt-staging", email: "ops@example.org" } }, stackConfigKeys);
  expect(warnings.some((w) => w.startsWith("The smoke test will fail certificate verification") && w.includes("smokeTest.caPem"))).toBe(true);
  const quiet = resolvePlatformConfig({ ...base, tls: { issuer: "letsencrypt-staging", email: "ops@example.org" }, smokeTest: { caPem: pem } }, stackConfigKeys);
  expect(quiet.warnings.filter((w) => w.includes("smoke test"))).toEqual([]);

  const error = configErrorOf({ ...base, tls: { issuer: "selfsigned" }, smokeTest: { caPem: pem } });
  expect(error.message).toContain("websocket-platform:smokeTest.caPem");
});

describe("the smoke test dials the chosen controller's Service", () => {
  const dev = { environment: "dev", app: { name: "echo", image: "ghcr.io/acme/echo:1.0.0" } };
  const resolve = (over: Record<string, unknown>) => resolvePlatformConfig({ ...dev, ...over }, stackConfigKeys);

  test.each([
    [{ controller: "nginx" }, "ingress-nginx-controller.ingress-nginx.svc.cluster.local"],
    [{ controller: "traefik" }, "traefik.traefik.svc.cluster.local"],
    [{ controller: "traefik", api: "gateway" }, "traefik.traefik.svc.cluster.local"],
    [{ controller: "haproxy" }, "haproxy-kubernetes-ingress.haproxy-controller.svc.cluster.local"],
    [{ controller: "nginx-gateway-fabric" }, "websocket-gateway-nginx.nginx-gateway.svc.cluster.local"],
    [{ controller: "istio" }, "istio-ingressgateway.istio-ingress.svc.cluster.local"],
    [{ controller: "traefik", namespace: "edge" }, "traefik.edge.svc.cluster.local"],
  ])("%j: derived when unset, port 80 for ws:// and 443 for wss://", (ingress, host) => {
    const plain = resolve({ ingress: { ...ingress, hosts: ["ws.example.com"] } });
    expect(plain.settings.smokeTest.address).toBe(`${host}:80`);
    const tls = resolve({ ingress: { ...ingress, hosts: ["ws.example.com"] }, tls: { enabled: true, issuer: "selfsigned" } });
    expect(tls.settings.smokeTest.address).toBe(`${host}:443`);
    expect([...plain.warnings, ...tls.warnings].filter((w) => w.includes("smoke test cannot pass"))).toEqual([]);
  });

  test("NGINX Gateway Fabric: the derived Service is the data plane NGF provisions for the rendered Gateway (<gateway>-<class>)", async () => {
    const run = await platform({ ingress: { controller: "nginx-gateway-fabric", hosts: ["ws.example.com"] } });
    const gateway = kubernetesObjects(run.resources).find((o) => o.kind === "Gateway") as any;
    const expected = `${gateway.metadata.name}-${gateway.spec.gatewayClassName}.${gateway.metadata.namespace}.svc.cluster.local:80`;
    expect(envOf(jobOf(run)).SMOKE_ADDRESS).toBe(expected);
  });

  test("an existing NGF GatewayClass still provisions a data plane for our shared Gateway: its Service is derived", () => {
    const ingress = { controller: "nginx-gateway-fabric", gatewayClassName: "shared", namespace: "gateways", hosts: ["ws.example.com"] };
    expect(resolve({ ingress }).settings.smokeTest.address).toBe("websocket-gateway-shared.gateways.svc.cluster.local:80");
  });

  test("an existing Traefik GatewayClass has no Service we know: nothing is derived and any address is taken", () => {
    const ingress = { controller: "traefik", api: "gateway", gatewayClassName: "shared", namespace: "gateways", hosts: ["ws.example.com"] };
    expect(resolve({ ingress }).settings.smokeTest.address).toBeUndefined();
    expect(resolve({ ingress, smokeTest: { address: "shared-gw.gateways.svc.cluster.local:80" } }).settings.smokeTest.address).toBe("shared-gw.gateways.svc.cluster.local:80");
  });

  test("a fixed in-cluster address of another Service is refused, naming the controller's", () => {
    const error = configErrorOf({ ...dev, ingress: { controller: "nginx", hosts: ["ws.example.com"] }, smokeTest: { address: "traefik.traefik.svc.cluster.local:80" } });
    expect(error.problems).toEqual([
      {
        key: "websocket-platform:smokeTest.address",
        given: '"traefik.traefik.svc.cluster.local:80"',
        allowed:
          "ingress-nginx-controller.ingress-nginx.svc.cluster.local:80 (the nginx controller's Service; leave smokeTest.address unset and it is derived), " +
          "or an address outside the cluster such as the load balancer's",
      },
    ]);
    // The right Service on a port it does not have is refused as well.
    expect(configErrorOf({ ...dev, ingress: { hosts: ["ws.example.com"] }, smokeTest: { address: "traefik.traefik.svc:8000" } }).problems[0].key).toBe(
      "websocket-platform:smokeTest.address",
    );
  });

  test("the controller's own Service (any cluster-domain spelling) and addresses outside the cluster are taken as given", () => {
    for (const address of ["traefik.traefik.svc:80", "traefik.traefik.svc.cluster.local:80", "ws.example.com:80", "203.0.113.10:80"]) {
      expect(resolve({ ingress: { hosts: ["ws.example.com"] }, smokeTest: { address } }).settings.smokeTest.address).toBe(address);
    }
  });

  test("TLS on while a fixed address is a plain-HTTP port (dev with tls.enabled=true) warns that the check cannot pass", () => {
    const { warnings } = resolve({ ingress: { hosts: ["ws.example.com"] }, tls: { enabled: true, issuer: "selfsigned" }, smokeTest: { address: "traefik.traefik.svc.cluster.local:80" } });
    expect(warnings).toContainEqual(
      "The smoke test cannot pass: smokeTest.address traefik.traefik.svc.cluster.local:80 is a plain-HTTP port, but tls.enabled is true, so the check " +
        "starts a TLS handshake (wss://) there. Unset smokeTest.address (it becomes traefik.traefik.svc.cluster.local:443) or dial the HTTPS port.",
    );
    const external = resolve({ ingress: { hosts: ["ws.example.com"] }, smokeTest: { address: "ws.example.com:443" } });
    expect(external.warnings.filter((w) => w.includes("smoke test cannot pass"))).toEqual([expect.stringContaining("is an HTTPS port, but tls.enabled is false")]);
    const off = resolve({ ingress: { hosts: ["ws.example.com"] }, smokeTest: { enabled: false, address: "traefik.traefik.svc.cluster.local:80" }, tls: { enabled: true, issuer: "selfsigned" } });
    expect(off.warnings.filter((w) => w.includes("smoke test"))).toEqual([]);
  });

  test("the dev stack no longer fixes the address, and switching its controller moves the check with it", async () => {
    expect(readStackFile("dev")).not.toHaveProperty(["websocket-platform:smokeTest"]);
    const traefik = await runStack("dev");
    expect(envOf(jobOf(traefik)).SMOKE_ADDRESS).toBe("traefik.traefik.svc.cluster.local:80");
    const haproxy = await runStack("dev", ["ingress.controller=haproxy"]);
    expect(envOf(jobOf(haproxy)).SMOKE_ADDRESS).toBe("haproxy-kubernetes-ingress.haproxy-controller.svc.cluster.local:80");
  });
});
