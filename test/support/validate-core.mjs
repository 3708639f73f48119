// Validates core Kubernetes objects with kubernetes-models (ESM-only, so it runs in its own Node process).
// Input on stdin: JSON array of objects. Output on stdout: JSON array of { index, error } for each failure.
const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
}));

function modulePath(apiVersion) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return group === "" ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
}

const failures = [];
for (const [index, object] of input.entries()) {
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
    failures.push({ index, error: String(error.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(failures));
