import { stackConfigKeys } from "../../components/config/parse";
import { resolvePlatformConfig } from "../../components/config/resolve";
import { PlatformArgs } from "../../components/config/schema/platform";
import { WebSocketPlatform } from "../../components/platform";
import { kubernetesObjects } from "../../tools/kubernetesObjects";
import { ProgramRun, runProgram } from "../../tools/mockRunner";
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
