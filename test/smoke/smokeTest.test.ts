import * as fs from "node:fs";
import { isConfigError } from "../../components/config/configError";
import { SmokeTest, smokeCheckScriptPath } from "../../components/smoke/smokeTest";
import { defaultSmokeTestImage } from "../../components/config/schema/smokeTest";
import { runProgram, settleProgram } from "../../tools/mockRunner";
import { kubernetesObjects } from "../../tools/kubernetesObjects";
import { objectsOf, oneObject, runStack } from "../support/render";
import { validateObjects } from "../support/schemas";

/** The smoke-test Job's content under mocks: what Pulumi would create, and why `pulumi up` fails with it. */
function podOf(job: any) {
  return job.spec.template.spec;
}

/** Pod Security Standard `restricted` (kubernetes.io/docs/concepts/security/pod-security-standards). */
function expectRestricted(pod: any) {
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
  expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
  expect(pod.hostNetwork ?? false).toBe(false);
  expect(pod.hostPID ?? false).toBe(false);
  for (const c of pod.containers) {
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    expect(c.securityContext.privileged ?? false).toBe(false);
    expect(c.securityContext.capabilities.add ?? []).toEqual([]);
  }
  const allowedVolumeKinds = ["configMap", "secret", "emptyDir", "projected", "downwardAPI", "csi", "ephemeral", "persistentVolumeClaim"];
  for (const v of pod.volumes ?? []) expect(Object.keys(v).filter((k) => k !== "name").every((k) => allowedVolumeKinds.includes(k))).toBe(true);
}

describe("smoke test in the stacks", () => {
  test("dev: a Job after the app that upgrades ws://<first host>/ and is awaited by Pulumi", async () => {
    const run = await runStack("dev");
    const job = oneObject(run, "Job") as any;
    const pod = podOf(job);
    expect(validateObjects([job, oneObject(run, "ConfigMap", "websocket-smoke-script")])).toEqual([]);
    expect(job.metadata.namespace).toBe("websocket-dev");
    // Pulumi's Job await: Complete=True succeeds, Failed=True fails the update at once; no skipAwait.
    expect(job.metadata.annotations).toEqual({ "pulumi.com/replaceUnready": "true", "pulumi.com/timeoutSeconds": "420" });
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 360 });
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].image).toBe(defaultSmokeTestImage);
    expect(pod.containers[0].command).toEqual(["node", "/smoke/wss-check.mjs"]);
    const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value]));
    // The Origin a page on the public host sends: the app refuses others (ALLOWED_ORIGINS), so the check passes as that page.
    expect(env).toEqual({
      SMOKE_URL: "ws://ws.dev.example.com/",
      SMOKE_ORIGIN: "http://ws.dev.example.com",
      SMOKE_DEADLINE_SECONDS: "300",
      SMOKE_ADDRESS: "traefik.traefik.svc.cluster.local:80",
    });
    expectRestricted(pod);
    // No mesh sidecar that would outlive the check and keep the Job from completing.
    expect(job.spec.template.metadata.labels["sidecar.istio.io/inject"]).toBe("false");
    expect(job.spec.template.metadata.annotations["linkerd.io/inject"]).toBe("disabled");

    const jobResource = run.resources.find((r) => r.type === "kubernetes:batch/v1:Job")!;
    expect(jobResource.dependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/^websocket-platform:index:WebSocketApp::/), expect.stringMatching(/ConfigMap::/)]),
    );
  });

  test("the ConfigMap carries exactly the script that the loopback tests run", async () => {
    const configMap = oneObject(await runStack("dev"), "ConfigMap", "websocket-smoke-script") as any;
    expect(configMap.data).toEqual({ "wss-check.mjs": fs.readFileSync(smokeCheckScriptPath, "utf8") });
    const job = oneObject(await runStack("dev"), "Job") as any;
    expect(podOf(job).volumes[0]).toEqual({ name: "script", configMap: { name: configMap.metadata.name, defaultMode: 0o444 } });
  });

  test("staging checks wss://; prod has no smoke test unless asked", async () => {
    const staging = oneObject(await runStack("staging"), "Job") as any;
    expect(podOf(staging).containers[0].env[0]).toEqual({ name: "SMOKE_URL", value: "wss://ws.staging.example.com/" });
    expect(objectsOf(await runStack("prod"), "Job")).toEqual([]);
    expect(objectsOf(await runStack("prod", ["smokeTest.enabled=true"]), "Job")).toHaveLength(1);
  });

  test("a new app image changes the pod template, so the Job is replaced and the check runs again", async () => {
    const trigger = async (image: string) =>
      (oneObject(await runStack("dev", [`app.image=${image}`]), "Job") as any).spec.template.metadata.annotations["websocket-platform.io/smoke-trigger"];
    const first = await trigger("ghcr.io/websocket-platform/echo-server:0.1.0");
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(await trigger("ghcr.io/websocket-platform/echo-server:0.1.0")).toBe(first);
    expect(await trigger("ghcr.io/websocket-platform/echo-server:0.2.0")).not.toBe(first);
  });

  test("address override dials the controller's Service while SNI and Host stay the public host", async () => {
    const job = oneObject(await runStack("dev", ["smokeTest.address=traefik.traefik.svc.cluster.local:80"]), "Job") as any;
    expect(podOf(job).containers[0].env).toContainEqual({ name: "SMOKE_ADDRESS", value: "traefik.traefik.svc.cluster.local:80" });
  });

  test("bad smokeTest values fail before anything is registered, naming the key", async () => {
    for (const [override, key] of [
      ["smokeTest.image=node:latest", "websocket-platform:smokeTest.image"],
      ["smokeTest.address=just-a-host", "websocket-platform:smokeTest.address"],
      ["smokeTest.timeoutSeconds=5", "websocket-platform:smokeTest.timeoutSeconds"],
    ]) {
      const error = await runStack("dev", [override]).catch((e: unknown) => e);
      expect(isConfigError(error)).toBe(true);
      expect(String((error as Error).message)).toContain(key);
    }
  });
});

describe("SmokeTest on its own", () => {
  test("with a CA Secret: mounts only its ca.crt and points NODE_EXTRA_CA_CERTS at it", async () => {
    const run = await runProgram(
      () => {
        new SmokeTest("chat-smoke", { namespace: "realtime", url: "wss://chat.example.com/ws", caSecretName: "chat-tls", timeoutSeconds: 60 });
      },
      { stack: "test", config: {} },
    );
    const job = kubernetesObjects(run.resources).find((o) => o.kind === "Job") as any;
    const pod = podOf(job);
    expect(job.metadata.name).toBe("chat-smoke");
    expect(job.spec.activeDeadlineSeconds).toBe(120);
    expect(pod.volumes).toContainEqual({ name: "ca", secret: { secretName: "chat-tls", items: [{ key: "ca.crt", path: "ca.crt" }], defaultMode: 0o444 } });
    expect(pod.containers[0].env).toContainEqual({ name: "NODE_EXTRA_CA_CERTS", value: "/etc/smoke-ca/ca.crt" });
    expect(pod.containers[0].env).toContainEqual({ name: "SMOKE_URL", value: "wss://chat.example.com/ws" });
    expectRestricted(pod);
    expect(validateObjects(kubernetesObjects(run.resources))).toEqual([]);
  });

  test("bad args name the key as the component user writes it", async () => {
    const { error } = await settleProgram(
      () => {
        new SmokeTest("chat-smoke", { namespace: "realtime", url: "wss://chat.example.com/", image: "node" });
      },
      { stack: "test", config: {} },
    );
    expect(isConfigError(error)).toBe(true);
    expect(String((error as Error).message)).toContain("SmokeTest args.image");
    const both = await settleProgram(
      () => {
        new SmokeTest("chat-smoke", {
          namespace: "realtime",
          url: "wss://chat.example.com/",
          caSecretName: "chat-ca",
          caPem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        });
      },
      { stack: "test", config: {} },
    );
    expect(isConfigError(both.error)).toBe(true);
    expect(String((both.error as Error).message)).toContain("SmokeTest args.caPem");
  });
});
