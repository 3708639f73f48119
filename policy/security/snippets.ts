import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourcePolicy } from "../lib/define";
import { PolicySubject, at, isKind, metadataOf, types } from "../lib/resources";

// ingress-nginx rates these annotations "Critical" (docs annotations-risk.md): raw NGINX config in an Ingress.
const nginxSnippetAnnotation = /^nginx\.ingress\.kubernetes\.io\/[a-z-]*snippet$/;
// HAProxy Tech: backend-config-snippet on Ingress/Service; the *-config-snippet keys in the controller ConfigMap.
const haproxySnippetAnnotation = /^(haproxy\.org|haproxy\.com|ingress\.kubernetes\.io)\/[a-z-]*config-snippet$/;
const nginxSnippetConfigKeys = /snippet$/;

/** Every way a resource lets raw proxy configuration in, as short phrases. */
export function snippetFindings(subject: PolicySubject): string[] {
  const found: string[] = [];
  for (const key of Object.keys(metadataOf(subject).annotations)) {
    if (nginxSnippetAnnotation.test(key) || haproxySnippetAnnotation.test(key)) found.push(`annotation ${key}`);
  }
  if (subject.type === types.helmRelease) {
    const chart = String(subject.props.chart ?? "").split("/").pop();
    const values = subject.props.values ?? {};
    if (chart === "ingress-nginx") {
      if (at(values, "controller", "allowSnippetAnnotations") === true) found.push("values controller.allowSnippetAnnotations: true");
      const config = at(values, "controller", "config") ?? {};
      if (String(config["allow-snippet-annotations"]) === "true") found.push("values controller.config.allow-snippet-annotations: true");
      if (config["annotations-risk-level"] === "Critical") found.push("values controller.config.annotations-risk-level: Critical");
      for (const key of Object.keys(config)) if (nginxSnippetConfigKeys.test(key)) found.push(`values controller.config.${key}`);
    }
    if (chart === "kubernetes-ingress") {
      for (const key of Object.keys(at(values, "controller", "config") ?? {})) if (/config-snippet$/.test(key)) found.push(`values controller.config.${key}`);
    }
    if (chart === "nginx-gateway-fabric") {
      for (const flag of ["snippets", "snippetsFilters"]) if (at(values, "nginxGateway", flag, "enable") === true) found.push(`values nginxGateway.${flag}.enable: true`);
    }
  }
  if (isKind(subject, "gateway.nginx.org", "SnippetsFilter") || isKind(subject, "gateway.nginx.org", "SnippetsPolicy")) found.push(`a ${subject.props.kind}`);
  return found;
}

export function noSnippetsPolicy(): ResourceValidationPolicy {
  return resourcePolicy(
    {
      name: "no-snippet-annotations",
      description: "No raw proxy configuration snippets (ingress-nginx *-snippet, HAProxy *-config-snippet, NGINX Gateway Fabric SnippetsFilter): they bypass every other check and have enabled cluster takeovers.",
      enforcementLevel: "mandatory",
    },
    snippetFindings,
    (found) => `Configuration snippets are not allowed: ${found.join("; ")}.`,
  );
}