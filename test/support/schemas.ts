import Ajv from "ajv";
import addFormats from "ajv-formats";
import * as fs from "fs";
import * as path from "path";
import { KubernetesObject } from "../../tools/kubernetesObjects";

/** ../shared beside the repository: upstream data the tests read in place, never copied. */
export const sharedDir = path.resolve(__dirname, "../../../shared");
export const crdSchemaDir = path.join(sharedDir, "upstream", "crd-schemas");
/** Strict schemas ../shared has no data for (derived from upstream CRDs; provenance in test/fixtures/SOURCES.md). */
export const fixtureCrdSchemaDir = path.resolve(__dirname, "../fixtures/crd-schemas");

/** API groups kubernetes-models covers (core kinds); everything else must have a strict CRD schema. */
const crdGroupsUnderK8sIo = ["gateway.networking.k8s.io"];

function isCoreGroup(apiVersion: string): boolean {
  if (!apiVersion.includes("/")) return true;
  const group = apiVersion.split("/")[0];
  if (crdGroupsUnderK8sIo.includes(group)) return false;
  return !group.includes(".") || group.endsWith(".k8s.io");
}

/** CRD patterns are Go (RE2) regexps; the `(?i)` flag group (PrometheusRule's `^(?i)(abort|warn)?$`) becomes JS's `i` flag. */
function goRegExp(pattern: string, flags: string): RegExp {
  return pattern.includes("(?i)") ? new RegExp(pattern.replace("(?i)", ""), `${flags}i`) : new RegExp(pattern, flags);
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, code: { regExp: goRegExp as never } });
addFormats(ajv);
const compiled = new Map<string, ReturnType<typeof ajv.compile> | null>();

function crdValidator(apiVersion: string, kind: string) {
  const [group, version] = apiVersion.split("/");
  const relative = path.join(group, `${kind.toLowerCase()}_${version}.json`);
  const shared = path.join(crdSchemaDir, relative);
  const file = fs.existsSync(shared) ? shared : path.join(fixtureCrdSchemaDir, relative);
  if (!compiled.has(file)) {
    compiled.set(file, fs.existsSync(file) ? ajv.compile(JSON.parse(fs.readFileSync(file, "utf8"))) : null);
  }
  return compiled.get(file) ?? undefined;
}

type CoreValidation = (objects: KubernetesObject[]) => { index: number; error: string }[];

/** kubernetes-models runs in a worker thread; the test environment shares one per process (testEnvironment.js). */
function validateCore(objects: KubernetesObject[]): { index: number; error: string }[] {
  const shared = (globalThis as { __validateCoreObjects?: CoreValidation }).__validateCoreObjects;
  if (shared) return shared(objects);
  const { coreValidator } = require("./coreValidator") as { coreValidator(): { validate: CoreValidation } };
  return coreValidator().validate(objects);
}

export interface SchemaFailure {
  object: string;
  error: string;
}

const label = (o: KubernetesObject) => `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? "?"}`;

/** Every object checked: core kinds by kubernetes-models, custom resources by the strict upstream CRD schemas. */
export function validateObjects(objects: KubernetesObject[]): SchemaFailure[] {
  const failures: SchemaFailure[] = [];
  const core: KubernetesObject[] = [];
  for (const object of objects) {
    if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
      failures.push({ object: JSON.stringify(object).slice(0, 80), error: "missing apiVersion or kind" });
    } else if (isCoreGroup(object.apiVersion)) {
      core.push(object);
    } else {
      const validate = crdValidator(object.apiVersion, object.kind);
      if (!validate) failures.push({ object: label(object), error: `no upstream schema for ${object.apiVersion} ${object.kind}` });
      else if (!validate(object)) failures.push({ object: label(object), error: ajv.errorsText(validate.errors) });
    }
  }
  if (core.length > 0) {
    for (const { index, error } of validateCore(core)) failures.push({ object: label(core[index]), error });
  }
  return failures;
}
