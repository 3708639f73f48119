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

interface ValidationRequest {
  core: KubernetesObject[];
  custom: KubernetesObject[];
  crdDirs: string[];
}
type Failures = { index: number; error: string }[];
type Validation = (request: ValidationRequest) => { core: Failures; custom: Failures };

/** One worker thread per test process validates (testEnvironment.js shares it across test files). */
function validateInWorker(request: ValidationRequest): { core: Failures; custom: Failures } {
  const shared = (globalThis as { __validateObjects?: Validation }).__validateObjects;
  if (shared) return shared(request);
  const { objectValidator } = require("./objectValidator") as { objectValidator(): { validate: Validation } };
  return objectValidator().validate(request);
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
  const custom: KubernetesObject[] = [];
  for (const object of objects) {
    if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
      failures.push({ object: JSON.stringify(object).slice(0, 80), error: "missing apiVersion or kind" });
    } else {
      (isCoreGroup(object.apiVersion) ? core : custom).push(object);
    }
  }
  if (core.length + custom.length === 0) return failures;
  // A CRD's schema from ../shared first, else the strict fixture derived from upstream.
  const found = validateInWorker({ core, custom, crdDirs: [crdSchemaDir, fixtureCrdSchemaDir] });
  for (const { index, error } of found.custom) failures.push({ object: label(custom[index]), error });
  for (const { index, error } of found.core) failures.push({ object: label(core[index]), error });
  return failures;
}
