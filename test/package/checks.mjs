// What each consumer program must have registered (the list mockRun.js prints) and what the tarball must hold.
// Each check throws an Error saying what it found instead, or returns a one-line summary.

const componentType = (name) => `websocket-platform:index:${name}`;

function ofType(registered, type) {
  return registered.filter((r) => r.type === type);
}

function expectCount(registered, type, count, what = type) {
  const found = ofType(registered, type);
  if (found.length !== count) throw new Error(`expected ${count} ${what}, got ${found.length}: ${found.map((r) => r.name).join(", ") || "none"}`);
  return found;
}

/** Pulumi rejects two resources of one type with one name (same URN); the mocks do not, so we do. */
function expectDistinctNames(registered) {
  const seen = new Set();
  const duplicates = registered.map((r) => `${r.type}::${r.name}`).filter((key) => seen.has(key) || !seen.add(key));
  if (duplicates.length > 0) throw new Error(`duplicate resources (same type and name): ${[...new Set(duplicates)].join(", ")}`);
}

/** Helm releases of the ingress controller (Traefik's chart here), as opposed to cert-manager's or others. */
function controllerReleases(registered) {
  return ofType(registered, "kubernetes:helm.sh/v3:Release").filter((r) => /traefik/.test(String(r.inputs.chart ?? "")));
}

/** One Deployment per app, each in its own namespace, with distinct names. */
function expectAppDeployments(registered, namespaces) {
  const deployments = expectCount(registered, "kubernetes:apps/v1:Deployment", namespaces.length, "Deployments");
  const found = deployments.map((d) => d.inputs.metadata?.namespace).sort();
  if (JSON.stringify(found) !== JSON.stringify([...namespaces].sort())) throw new Error(`Deployments in namespaces ${found.join(", ")}, expected ${namespaces.join(", ")}`);
  const names = new Set(deployments.map((d) => `${d.inputs.metadata?.namespace}/${d.inputs.metadata?.name}`));
  if (names.size !== deployments.length) throw new Error(`Deployments share a name: ${[...names].join(", ")}`);
  return deployments;
}

export function checkPlatforms(registered) {
  expectDistinctNames(registered);
  const platforms = expectCount(registered, componentType("WebSocketPlatform"), 2, "WebSocketPlatform components");
  expectAppDeployments(registered, ["chat", "feed"]);
  expectCount(registered, componentType("WebSocketRoute"), 2, "routes (WebSocketRoute)");
  // Each platform still installs its own controller: the cluster/app split below is what makes it one.
  const releases = controllerReleases(registered);
  if (releases.length !== 2) throw new Error(`expected one controller Helm release per platform (2), got ${releases.length}`);
  return `${registered.length} resources: ${platforms.map((p) => p.name).join(" + ")}, 2 Deployments, 2 routes, 2 controller releases`;
}

export function checkClusterApps(registered) {
  expectDistinctNames(registered);
  expectCount(registered, componentType("WebSocketCluster"), 1, "WebSocketCluster components");
  expectCount(registered, componentType("WebSocketService"), 2, "WebSocketService components");
  const releases = controllerReleases(registered);
  if (releases.length !== 1) throw new Error(`expected exactly one controller Helm release for the shared cluster, got ${releases.length}: ${releases.map((r) => r.name).join(", ")}`);
  expectAppDeployments(registered, ["chat", "feed"]);
  expectCount(registered, componentType("WebSocketRoute"), 2, "routes (WebSocketRoute)");
  return `${registered.length} resources: 1 controller release (${releases[0].name}), 2 Deployments, 2 routes`;
}

export function checkEsm(registered) {
  if (!Array.isArray(registered)) throw new Error("the ES module program printed no result");
  return "named export WebSocketPlatform is a class";
}

/** examples/consumer-ts passes its own k8s.Provider: every Kubernetes object must go through it. */
export function checkExample(registered) {
  expectDistinctNames(registered);
  expectCount(registered, componentType("WebSocketPlatform"), 1, "WebSocketPlatform components");
  const [deployment] = expectAppDeployments(registered, ["chat"]);
  if (deployment.inputs.spec?.replicas !== 2) throw new Error(`Deployment replicas ${deployment.inputs.spec?.replicas}, the example sets 2`);
  const objects = registered.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
  // A provider reference is `<provider URN>::<id>`; the URN ends in `pulumi:providers:kubernetes::<name>`.
  const providers = new Set(objects.map((r) => /pulumi:providers:kubernetes::([^:]+)::/.exec(r.provider ?? "")?.[1] ?? "(default provider)"));
  if (objects.length < 5 || providers.size !== 1 || !providers.has("chat-cluster")) {
    throw new Error(`${objects.length} Kubernetes objects went through ${[...providers].join(", ")}; all must use the example's chat-cluster provider`);
  }
  return `${objects.length} Kubernetes objects, all through chat-cluster`;
}

/** The plugin's schema holds every component the package exports, WebSocketPlatform's required inputs as documented. */
export function checkPluginSchema({ exported, resources }) {
  const tokens = Object.keys(resources);
  const missing = exported.filter((name) => !tokens.includes(componentType(name)));
  if (missing.length > 0) throw new Error(`schema lacks ${missing.join(", ")}`);
  const required = resources[componentType("WebSocketPlatform")]?.requiredInputs;
  if (JSON.stringify(required) !== JSON.stringify(["app", "ingress"])) throw new Error(`WebSocketPlatform requiredInputs ${JSON.stringify(required)}`);
  return `${tokens.length} components in the schema`;
}

/** What `files` lets through: the compiled package and what Pulumi's analyzer reads, not tests, stacks or CI. */
export function checkTarball({ files }) {
  const paths = files.map((f) => f.path);
  const required = ["package.json", "dist/index.js", "dist/index.d.ts", "dist/smoke/wss-check.mjs", "PulumiPlugin.yaml", "index.ts", "tsconfig.json"];
  const absent = required.filter((p) => !paths.includes(p));
  if (absent.length > 0) throw new Error(`tarball lacks ${absent.join(", ")}`);
  const stray = paths.filter((p) => /^(test|bench|policy|stacks|tools|load|examples|docs|\.github|\.ci)\/|^Pulumi\.[^/]*\.yaml$|^Pulumi\.yaml$|^jest\.config/.test(p));
  if (stray.length > 0) throw new Error(`tarball ships repository files: ${stray.slice(0, 10).join(", ")}${stray.length > 10 ? ", …" : ""}`);
  const compiled = paths.filter((p) => p.startsWith("dist/") && p.endsWith(".js")).length;
  const sources = paths.filter((p) => p.startsWith("components/") && p.endsWith(".ts")).length;
  if (compiled !== sources) throw new Error(`${sources} sources under components/ but ${compiled} compiled files under dist/`);
  return `${paths.length} files: ${compiled} compiled modules with declarations, their sources`;
}

/** Every package our published declarations import must install with us, or a consumer's `tsc` fails (TS2307). */
export function checkDeclarationImports(packageDir, readFile, declarationFiles) {
  const manifest = JSON.parse(readFile(`${packageDir}/package.json`));
  const installed = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
  const imported = new Map();
  for (const file of declarationFiles) {
    for (const [, specifier] of readFile(file).matchAll(/(?:from\s+|import\()\s*"([^".][^"]*)"/g)) {
      if (specifier.startsWith("node:")) continue;
      const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
      if (!imported.has(name)) imported.set(name, file.slice(packageDir.length + 1));
    }
  }
  const missing = [...imported].filter(([name]) => !installed.has(name) && !/^(fs|path|os|child_process|url|crypto|events|stream)$/.test(name));
  if (missing.length > 0) throw new Error(`declarations import packages that are not dependencies: ${missing.map(([n, f]) => `${n} (${f})`).join(", ")}`);
  return `${imported.size} packages imported by our .d.ts, all dependencies: ${[...imported.keys()].sort().join(", ")}`;
}
