// Validates core Kubernetes objects with kubernetes-models (ESM-only, so Node loads it here, outside jest's
// CommonJS module registry). Runs as one long-lived worker thread per test process: each request arrives on
// workerData's port as { id, objects }, the answer { id, failures: [{ index, error }] } goes back on the same port,
// then the shared Int32Array is bumped and notified so the caller, blocked in Atomics.wait, can read it.
import { workerData } from "node:worker_threads";

const { port, signal } = workerData;

function modulePath(apiVersion) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return group === "" ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
}

async function validate(objects) {
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

port.on("message", async ({ id, objects }) => {
  let answer;
  try {
    answer = { id, failures: await validate(objects) };
  } catch (error) {
    answer = { id, crash: String(error?.stack ?? error) };
  }
  port.postMessage(answer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
});
