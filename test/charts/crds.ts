import Ajv from "ajv";
import addFormats from "ajv-formats";
import * as fs from "fs";
import * as path from "path";
import { KubernetesObject } from "../../tools/kubernetesObjects";
import { crdSchemaDir, fixtureCrdSchemaDir } from "../support/schemas";
import { ChartRender } from "./scenarios";

/** A CRD version's schema, keyed by `group/version Kind`, and where it came from. */
export interface CrdVersionSchema {
  key: string;
  /** The CRD's openAPIV3Schema (x-kubernetes-* extensions kept). */
  schema: Record<string, any>;
  source: string;
}

export const gvk = (apiVersion: string, kind: string) => `${apiVersion} ${kind}`;

/** Every CRD version the rendered charts install (cert-manager, KEDA, Traefik, NGINX Gateway Fabric ...). */
export function chartCrdSchemas(render: ChartRender): Map<string, CrdVersionSchema> {
  const found = new Map<string, CrdVersionSchema>();
  for (const release of Object.values(render.releases)) {
    for (const crd of release.objects.filter((o) => o.kind === "CustomResourceDefinition")) {
      const spec = crd.spec as { group: string; names: { kind: string }; versions: { name: string; schema?: { openAPIV3Schema?: Record<string, any> } }[] };
      for (const version of spec.versions) {
        if (!version.schema?.openAPIV3Schema) continue;
        const key = gvk(`${spec.group}/${version.name}`, spec.names.kind);
        found.set(key, { key, schema: version.schema.openAPIV3Schema, source: `chart ${release.release.chart} ${release.release.version}` });
      }
    }
  }
  return found;
}

/** The strict JSON schema file ../shared (or a test fixture) has for a custom resource, if any. */
export function sharedSchemaFile(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.split("/");
  const relative = path.join(group, `${kind.toLowerCase()}_${version}.json`);
  return [path.join(crdSchemaDir, relative), path.join(fixtureCrdSchemaDir, relative)].find((f) => fs.existsSync(f));
}

/**
 * A CRD schema made strict the way datreeio/CRDs-catalog converts CRDs for kubeconform: unknown fields rejected wherever
 * the CRD lists properties and does not preserve unknown fields; int-or-string as either; Kubernetes extensions dropped.
 */
export function strictSchema(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith("x-kubernetes-")) continue;
    if (key === "properties" || key === "patternProperties") {
      out[key] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, strictSchema(v)]));
    } else out[key] = strictSchema(value);
  }
  if (schema["x-kubernetes-int-or-string"]) {
    delete out.type;
    return { ...out, anyOf: [{ type: "integer" }, { type: "string" }] };
  }
  if (schema.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  delete out.nullable;
  if (out.properties && out.additionalProperties === undefined && !schema["x-kubernetes-preserve-unknown-fields"]) out.additionalProperties = false;
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

/** Validates custom resources of kinds only a chart's own CRDs describe (no strict schema in ../shared), e.g. NginxProxy. */
export function validateWithChartCrds(objects: KubernetesObject[], crds: Map<string, CrdVersionSchema>): { object: string; error: string }[] {
  const failures: { object: string; error: string }[] = [];
  for (const object of objects) {
    const crd = crds.get(gvk(object.apiVersion, object.kind));
    const label = `${object.apiVersion} ${object.kind} ${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? "?"}`;
    if (!crd) {
      failures.push({ object: label, error: "no strict schema in ../shared and no CRD in the rendered charts" });
      continue;
    }
    const root = strictSchema(crd.schema);
    // apiVersion, kind and metadata are the API server's, not the CRD's to describe.
    root.properties = { ...root.properties, apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" } };
    const validate = ajv.compile(root);
    if (!validate(object)) failures.push({ object: label, error: ajv.errorsText(validate.errors) });
  }
  return failures;
}
