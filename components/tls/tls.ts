import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../config/configError";
import { KeyStyle, parseConfig, problemAt } from "../config/parse";
import { FreeformValues, hostNames } from "../config/schema/common";
import { TlsArgs, TlsSettings, acmeEmail, tlsSchema } from "../config/schema/tls";
import { checkedInput } from "../config/checkedInput";
import { HostsInput, knownHosts } from "../config/knownHosts";
import { standardLabels } from "../labels";
import { objectName } from "../naming";
import { CertManager } from "./certManager";
import { CertificateSpec, hostCertificateSpec, rootCaCertificateSpec } from "./certificates";
import { wildcardNeedsDns01 } from "./checks";
import { IssuerSpec, acmeIssuerSpec, caIssuerSpec, isAcmeIssuer, selfSignedIssuerSpec } from "./issuers";
import { dns01Solver, http01Solver } from "./solvers";

/** Tls's arguments: the `tls` settings plus what the route decides (hosts, namespace, solver). */
export interface TlsComponentArgs extends TlsArgs {
  /** Host names the certificate covers (each, or the whole list, may be an Output: checked when it resolves). */
  hosts: HostsInput;
  /** Namespace of the Certificate, its Secret and its Issuers: where the route's controller reads the Secret. */
  namespace: pulumi.Input<string>;
  /** The controller's HTTP-01 solver body (IngressController.acmeHttp01Solver); needed for ACME with solver http01. */
  http01Solver?: FreeformValues;
  /** The route is Gateway API: cert-manager must watch it to solve HTTP-01 with an HTTPRoute. */
  gatewayApi?: boolean;
}

const ownKeys: KeyStyle = { prefix: "Tls args." };

// Kept beside the class, not in a field: every field of a component becomes an output of its cross-language schema.
const certManagerInstalls = new WeakMap<Tls, pulumi.Resource[]>();

/** The cert-manager install a Tls made (none when it uses an existing one), for other charts that need cert-manager. */
export function certManagerOf(tls: Tls): pulumi.Resource[] {
  return certManagerInstalls.get(tls) ?? [];
}

/**
 * TLS for the app's hosts through cert-manager: the install (unless told to use an existing one), one Issuer
 * chosen by `issuer`, and one Certificate whose Secret the route serves.
 */
export class Tls extends pulumi.ComponentResource {
  /** Name of the Secret the Certificate writes (tls.crt, tls.key, ca.crt), in `namespace`. */
  public readonly secretName: pulumi.Output<string>;
  public readonly namespace: pulumi.Output<string>;
  public readonly issuerName: pulumi.Output<string>;
  /** For selfsigned: the Secret with the private root CA (its ca.crt is the one root clients trust). */
  public readonly caSecretName: pulumi.Output<string | undefined>;

  constructor(name: string, args: TlsComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    const { hosts: rawHosts, namespace, http01Solver: http01Body, gatewayApi, ...tlsArgs } = args;
    // Validate before super(): bad args register nothing, not even this component.
    const tls = parseConfig(tlsSchema, tlsArgs, ownKeys);
    const plainHosts = knownHosts(rawHosts);
    const hosts = plainHosts === undefined ? undefined : parseConfig(hostNames, plainHosts, { prefix: "Tls args.", basePath: ["hosts"] });
    const problems = hosts === undefined ? [] : wildcardNeedsDns01(tls, hosts);
    if (!tls.enabled) problems.push({ path: ["enabled"], given: false, allowed: "true (to serve plain ws://, leave the Tls component out)" });
    if (isAcmeIssuer(tls.issuer) && tls.solver === "http01" && http01Body === undefined) {
      problems.push({ path: ["http01Solver"], given: undefined, allowed: "the ingress controller's HTTP-01 solver (IngressController.acmeHttp01Solver)" });
    }
    if (problems.length > 0) {
      throw new ConfigError(problems.map((p) => problemAt(p.path, p.given, p.allowed, ownKeys)));
    }
    super("websocket-platform:index:Tls", name, {}, opts);

    const base = objectName(name);
    const labels = standardLabels({ name: "tls", instance: name, component: "certificate" });
    const secretName = tlsSecretName(name, tls);
    const namespaceOutput = pulumi.output(namespace);

    // cert-manager's webhook admits every Issuer and Certificate: depending on the awaited release (its
    // post-install startupapicheck hook proves the webhook answers) keeps the first `pulumi up` from racing it.
    const certManager = tls.certManager.install
      ? new CertManager(
          `${name}-cert-manager`,
          { namespace: tls.certManager.namespace, protect: tls.certManager.protect, gatewayApi: gatewayApi ?? false, values: tls.certManager.values },
          // Gateway API CRDs (a controller's foundations) must exist before cert-manager starts to watch them.
          { parent: this, dependsOn: opts?.dependsOn },
        )
      : undefined;
    // A component's dependsOn does not reach its children: without our own install, our objects wait for it themselves.
    const afterCertManager = certManager ?? opts?.dependsOn ?? [];
    certManagerInstalls.set(this, certManager ? [certManager] : []);

    const resource = (suffix: string, kind: "Issuer" | "Certificate", objectNameText: string, spec: pulumi.Input<IssuerSpec | CertificateSpec>, extra: pulumi.CustomResourceOptions & { annotations?: Record<string, string> } = {}) => {
      const { annotations, ...resourceOpts } = extra;
      return new k8s.apiextensions.CustomResource(
        `${name}-${suffix}`,
        {
          apiVersion: "cert-manager.io/v1",
          kind,
          metadata: { name: objectNameText, namespace, labels, ...(annotations ? { annotations } : {}) },
          spec,
        },
        // The SDK flattens nested dependsOn lists, so the prerequisites may be passed as they came.
        { parent: this, ...resourceOpts, dependsOn: [afterCertManager, ...((resourceOpts.dependsOn as pulumi.Resource[] | undefined) ?? [])] as pulumi.Input<pulumi.Resource>[] },
      );
    };

    // Namespaced Issuers, not the guide's ClusterIssuer: nothing cluster-wide per stack, and no ambient cloud credentials.
    let issuerName: string;
    let caSecretName: string | undefined;
    if (isAcmeIssuer(tls.issuer)) {
      issuerName = objectName(base, tls.issuer);
      const solver = tls.solver === "dns01" && tls.dns01 ? dns01Solver(tls.dns01) : http01Solver(http01Body ?? {});
      // Present (the schema requires it for ACME issuers); an Output is checked when it resolves.
      const email = checkedInput(tls.email ?? "", acmeEmail, ["email"], ownKeys);
      const issuer = tls.issuer;
      const spec = pulumi
        .output(email)
        .apply((contact): IssuerSpec => acmeIssuerSpec({ issuer, email: contact, accountKeySecretName: objectName(base, issuer, "account"), solver }));
      resource("issuer", "Issuer", issuerName, spec);
    } else {
      const rootIssuerName = objectName(base, "selfsigned-root");
      caSecretName = objectName(base, "ca");
      issuerName = objectName(base, "ca");
      const rootIssuer = resource("selfsigned-issuer", "Issuer", rootIssuerName, selfSignedIssuerSpec);
      const rootCa = resource(
        "root-ca",
        "Certificate",
        caSecretName,
        rootCaCertificateSpec({ commonName: `${base} root CA`, secretName: caSecretName, selfSignedIssuerName: rootIssuerName }),
        // Self-signing is local and quick: wait for it, so the CA issuer starts with its Secret in place.
        { dependsOn: [rootIssuer], annotations: { "pulumi.com/waitFor": "condition=Ready", "pulumi.com/timeoutSeconds": "300" } },
      );
      resource("ca-issuer", "Issuer", issuerName, caIssuerSpec(caSecretName), { dependsOn: [rootCa] });
    }

    resource(
      "certificate",
      "Certificate",
      base,
      hosts !== undefined
        ? hostCertificateSpec({ hosts, secretName, issuerName, labels })
        : pulumi
            .output(checkedInput(pulumi.output(rawHosts), hostNames, ["hosts"], ownKeys, (resolved) => wildcardNeedsDns01(tls, resolved)))
            .apply((resolved) => hostCertificateSpec({ hosts: resolved, secretName, issuerName, labels })),
      // ACME issuance waits on DNS and the load balancer; it must never hold `pulumi up`, even with PULUMI_K8S_AWAIT_ALL.
      { annotations: { "pulumi.com/skipAwait": "true" } },
    );

    this.secretName = pulumi.output(secretName);
    this.namespace = namespaceOutput;
    this.issuerName = pulumi.output(issuerName);
    this.caSecretName = pulumi.output(caSecretName);
    this.registerOutputs({ secretName: this.secretName, namespace: this.namespace, issuerName: this.issuerName, caSecretName: this.caSecretName });
  }
}

/** The certificate's Secret name, known before any resource exists, so routes can be built with it. */
export function tlsSecretName(componentName: string, tls: Pick<TlsSettings, "secretName">): string {
  return tls.secretName ?? objectName(componentName);
}
