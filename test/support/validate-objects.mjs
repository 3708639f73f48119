// Validates rendered objects outside jest's module registry, in one long-lived worker thread per test process: core
// kinds with kubernetes-models (ESM-only, so Node loads it here), custom resources with ajv against the strict CRD
// schemas, each schema compiled once per process rather than once per test file. Each request arrives on
// workerData's port as { id, core, custom, crdDirs }; the answer { id, core: [{ index, error }], custom: [...] }
// goes back on the same port, then the shared Int32Array is bumped and notified so the caller, blocked in
// Atomics.wait, can read it.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { workerData } from "node:worker_threads";

const require = createRequire(import.meta.url);
const Ajv = require("ajv").default;
const addFormats = require("ajv-formats").default;

const { port, signal } = workerData;

function modulePath(apiVersion) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return group === "" ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
}

async function validateCore(objects) {
  const failures = [];
  for (const [index, object] of objects.entries()) {
    let Model;
    try {
      Model = (await import(modulePath(object.apiVersion)))[object.kind];
    } catch {
      Model = undefined;
    }
    if (typeof Model !== "function") {
      failures.push({ index, error: `unknown apiVersion/kind ${object.apiVersion} ${object.kind}` });
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      failures.push({ index, error: String(error?.message ?? error) });
    }
  }
  return failures;
}

/** CRD patterns are Go (RE2) regexps; the `(?i)` flag group (PrometheusRule's `^(?i)(abort|warn)?$`) becomes JS's `i` flag. */
function goRegExp(pattern, flags) {
  return pattern.includes("(?i)") ? new RegExp(pattern.replace("(?i)", ""), `${flags}i`) : new RegExp(pattern, flags);
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, code: { regExp: goRegExp } });
addFormats(ajv);
/** Schema file → compiled validator (null: no such file). */
const compiled = new Map();

/** The schema of a custom resource: the first of `crdDirs` that has `<group>/<kind>_<version>.json`. */
function crdValidator(apiVersion, kind, crdDirs) {
  const [group, version] = apiVersion.split("/");
  const relative = join(group, `${kind.toLowerCase()}_${version}.json`);
  const file = crdDirs.map((dir) => join(dir, relative)).find((f) => existsSync(f));
  if (file === undefined) return undefined;
  if (!compiled.has(file)) compiled.set(file, ajv.compile(JSON.parse(readFileSync(file, "utf8"))));
  return compiled.get(file);
}

function validateCustom(objects, crdDirs) {
  const failures = [];
  for (const [index, object] of objects.entries()) {
    const validate = crdValidator(object.apiVersion, object.kind, crdDirs);
    if (!validate) failures.push({ index, error: `no upstream schema for ${object.apiVersion} ${object.kind}` });
    else if (!validate(object)) failures.push({ index, error: ajv.errorsText(validate.errors) });
  }
  return failures;
}

port.on("message", async ({ id, core, custom, crdDirs }) => {
  let answer;
  try {
    answer = { id, core: await validateCore(core), custom: validateCustom(custom, crdDirs) };
  } catch (error) {
    answer = { id, crash: String(error?.stack ?? error) };
  }
  port.postMessage(answer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
});
