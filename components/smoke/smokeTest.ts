import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { readFileSync } from "fs";
import * as path from "path";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../app/podSecurity";
import { ConfigError } from "../config/configError";
import { formatKey, parseConfig } from "../config/parse";
import { SmokeTestArgs, smokeTestSchema } from "../config/schema/smokeTest";
import { standardLabels } from "../labels";
import { objectName } from "../naming";
import { checkedInput } from "../config/checkedInput";
import { pemCertificates } from "../config/schema/smokeTest";

/** The check the Job runs: Node's standard library only, so any pinned Node image works. */
export const smokeCheckScriptPath = path.join(__dirname, "wss-check.mjs");

/** Identity of the smoke-test pods; NetworkPolicies select them by its selector labels. */
export function smokeTestIdentity(componentName: string) {
  return { name: "smoke-test", instance: componentName, component: "smoke-test" };
}
const scriptKey = "wss-check.mjs";
const caPemKey = "extra-ca.crt";
const scriptDir = "/smoke";
const caDir = "/etc/smoke-ca";

export interface SmokeTestComponentArgs extends Omit<SmokeTestArgs, "enabled"> {
  /** Namespace the Job runs in. */
  namespace: pulumi.Input<string>;
  /** Public ws:// or wss:// URL, as clients use it. */
  url: pulumi.Input<string>;
  /** Origin header the check sends, one the app allows; "" sends none (native client). Default: the URL's host over https:// (wss) or http:// (ws). */
  origin?: pulumi.Input<string>;
  /** Secret (in the Job's namespace) holding the CA that signed the route's certificate, for a self-signed issuer. */
  caSecretName?: pulumi.Input<string>;
  /** Key of the CA in that Secret; cert-manager writes `ca.crt`. */
  caSecretKey?: string;
  /** Anything whose change should re-run the check (e.g. the app's image); it goes into the pod template. */
  trigger?: pulumi.Input<string>;
}

/**
 * A Job that connects to the public URL through the ingress, requires 101 Switching Protocols and an echo, and exits 0.
 * Pulumi awaits a Job until its Complete condition and fails the update at its Failed condition, so `pulumi up`
 * fails when WebSockets do not work end to end; give it `dependsOn` the route, certificate and app.
 */
export class SmokeTest extends pulumi.ComponentResource {
  public readonly jobName: pulumi.Output<string>;
  public readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: SmokeTestComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    const { namespace, url, origin, caSecretName, caSecretKey, trigger, ...configArgs } = args;
    const keys = { prefix: "SmokeTest args." };
    const settings = parseConfig(smokeTestSchema, { ...configArgs, enabled: true }, keys);
    if (caSecretName !== undefined && settings.caPem !== undefined) {
      // NODE_EXTRA_CA_CERTS names one file.
      throw new ConfigError([{ key: formatKey(["caPem"], keys), given: "PEM text", allowed: "nothing when caSecretName is given (one extra CA source)" }]);
    }
    super("websocket-platform:index:SmokeTest", name, {}, opts);
    // An Output (another stack's CA bundle) is checked when it resolves.
    if (settings.caPem !== undefined) settings.caPem = checkedInput(settings.caPem, pemCertificates, ["caPem"], keys);
    const script = readFileSync(smokeCheckScriptPath, "utf8");
    const labels = standardLabels(smokeTestIdentity(name));
    const objectBase = objectName(name);

    const configMap = new k8s.core.v1.ConfigMap(
      `${name}-script`,
      {
        metadata: { name: objectName(name, "script"), namespace, labels },
        data: { [scriptKey]: script, ...(settings.caPem ? { [caPemKey]: settings.caPem } : {}) },
      },
      { parent: this },
    );

    // The Job's own deadline fails it first (a Failed condition fails the update at once); Pulumi's wait is the backstop.
    const activeDeadlineSeconds = settings.timeoutSeconds + 60;
    const templateHash = pulumi
      .all([url, trigger ?? "", settings.address ?? "", settings.image, settings.caPem ?? "", origin ?? ""])
      .apply((parts) => createHash("sha256").update(JSON.stringify([...parts, script])).digest("hex").slice(0, 16));

    const env: k8s.types.input.core.v1.EnvVar[] = [
      { name: "SMOKE_URL", value: url },
      ...(origin !== undefined ? [{ name: "SMOKE_ORIGIN", value: origin }] : []),
      { name: "SMOKE_DEADLINE_SECONDS", value: String(settings.timeoutSeconds) },
      ...(settings.address ? [{ name: "SMOKE_ADDRESS", value: settings.address }] : []),
      ...(caSecretName ? [{ name: "NODE_EXTRA_CA_CERTS", value: `${caDir}/ca.crt` }] : []),
      ...(settings.caPem ? [{ name: "NODE_EXTRA_CA_CERTS", value: `${scriptDir}/${caPemKey}` }] : []),
    ];

    const job = new k8s.batch.v1.Job(
      `${name}-job`,
      {
        metadata: {
          name: objectBase,
          namespace,
          labels,
          annotations: {
            // A failed check is replaced (run again) on the next `pulumi up` instead of being awaited again.
            "pulumi.com/replaceUnready": "true",
            "pulumi.com/timeoutSeconds": String(activeDeadlineSeconds + 60),
          },
        },
        spec: {
          backoffLimit: 0,
          activeDeadlineSeconds,
          template: {
            metadata: {
              // No mesh sidecar: it would keep the pod running after the check exits, and the check goes through the public path anyway.
              labels: { ...labels, "sidecar.istio.io/inject": "false" },
              annotations: { "linkerd.io/inject": "disabled", "websocket-platform.io/smoke-trigger": templateHash },
            },
            spec: {
              restartPolicy: "Never",
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: restrictedPodSecurityContext,
              containers: [
                {
                  name: "smoke",
                  image: settings.image,
                  imagePullPolicy: "IfNotPresent",
                  command: ["node", `${scriptDir}/${scriptKey}`],
                  env,
                  resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
                  securityContext: restrictedContainerSecurityContext,
                  volumeMounts: [
                    { name: "script", mountPath: scriptDir, readOnly: true },
                    ...(caSecretName ? [{ name: "ca", mountPath: caDir, readOnly: true }] : []),
                  ],
                },
              ],
              volumes: [
                { name: "script", configMap: { name: configMap.metadata.name, defaultMode: 0o444 } },
                ...(caSecretName
                  ? [{ name: "ca", secret: { secretName: caSecretName, items: [{ key: caSecretKey ?? "ca.crt", path: "ca.crt" }], defaultMode: 0o444 } }]
                  : []),
              ],
            },
          },
        },
      },
      // The component's own dependsOn (route, certificate, app) is not inherited by children: hand it to the Job.
      { parent: this, dependsOn: [configMap, ...plainDependsOn(opts?.dependsOn)] },
    );

    this.jobName = job.metadata.name;
    this.namespace = pulumi.output(namespace);
    this.registerOutputs({ jobName: this.jobName, namespace: this.namespace });
  }
}

/** `dependsOn` given as a resource or an array of resources (what the platform passes); Outputs are not supported here. */
function plainDependsOn(dependsOn: pulumi.ResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
  if (dependsOn === undefined) return [];
  if (Array.isArray(dependsOn)) return dependsOn;
  if (pulumi.Resource.isInstance(dependsOn)) return [dependsOn];
  throw new Error("SmokeTest: pass dependsOn as a resource or an array of resources");
}
