import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { charts } from "../components/charts";
import { parseRenderArgs, renderFiles, renderMarkerFile, renderToDirectory } from "../tools/render";
import { runStack as runStackLive } from "../tools/mockRunner";
import { applyOverrides, checkStackName, maxConfigIndex, parsePath, readStackFile, repoRoot, secretPlaceholder } from "../tools/stackConfig";
import { renderCli, runStack } from "./support/render";

describe("npm run render", () => {
  test("the same stack renders byte-for-byte the same files twice", async () => {
    const first = renderFiles(await runStackLive("prod"));
    const second = renderFiles(await runStackLive("prod"));
    expect([...first.keys()].length).toBeGreaterThan(0);
    expect([...second.entries()]).toEqual([...first.entries()]);
  });

  test("one multi-document file per component, each document a Kubernetes object", async () => {
    const files = renderFiles(await runStack("dev"));
    const app = YAML.parseAllDocuments(files.get("websocket-echo.yaml")!).map((d) => d.toJSON());
    expect(app.map((o) => o.kind)).toEqual(["Deployment", "PodDisruptionBudget", "Service", "ServiceAccount"]);
    expect(Object.keys(app[0]).slice(0, 3)).toEqual(["apiVersion", "kind", "metadata"]);
  });

  test("helm-releases.yaml: one document per release with its pinned chart, repository, version, namespace and values", async () => {
    const text = renderFiles(await runStack("prod")).get("helm-releases.yaml")!;
    const releases = YAML.parseAllDocuments(text).map((d) => d.toJSON());
    expect(releases.map((r) => r.release)).toEqual(["cert-manager", "traefik"]);
    for (const release of releases) {
      expect(Object.keys(release)).toEqual(["release", "chart", "repository", "version", "namespace", "values"]);
      // Each release names a pin of components/charts.ts exactly, an OCI one included (repository oci://..., chart its name).
      expect(Object.values(charts)).toContainEqual(expect.objectContaining({ chart: release.chart, repository: release.repository, version: release.version }));
    }
    expect(releases[0]).toMatchObject({ namespace: "cert-manager", values: { crds: { enabled: true } } });
    expect(releases[1]).toMatchObject({ namespace: "traefik", values: { ingressClass: { name: "traefik" } } });
  });

  test("--config paths work as pulumi config set --path does, with typed values", () => {
    const config = applyOverrides(
      { "websocket-platform:ingress": { hosts: ["a.example.com"] } },
      ["ingress.hosts[1]=b.example.com", "app.replicas=5", "tls.enabled=false", "websocket-platform:namespace=rt"],
      "websocket-platform",
    );
    expect(config).toMatchObject({
      "websocket-platform:ingress": { hosts: ["a.example.com", "b.example.com"] },
      "websocket-platform:app": { replicas: 5 },
      "websocket-platform:tls": { enabled: false },
      "websocket-platform:namespace": "rt",
    });
    expect(parsePath("a.b[0][2].c")).toEqual(["a", "b", 0, 2, "c"]);
    // Keys with dots or slashes (annotations, labels) are quoted, as pulumi config set --path takes them.
    expect(parsePath('ingress.values.service.annotations["service.beta.kubernetes.io/aws-load-balancer-type"]')).toEqual([
      "ingress", "values", "service", "annotations", "service.beta.kubernetes.io/aws-load-balancer-type",
    ]);
    expect(parsePath('a["b.c"].d[1]')).toEqual(["a", "b.c", "d", 1]);
    for (const bad of ["a..b", ".a", "a.", "a[0]b", "a.[0]", 'a["b', "a[x]", ""]) {
      expect(() => parsePath(bad)).toThrow(/Bad config path/);
    }
  });

  test("a quoted --config key reaches the Helm values", async () => {
    const annotation = "service.beta.kubernetes.io/aws-load-balancer-type";
    const files = renderFiles(await runStack("prod", [`ingress.values.service.annotations["${annotation}"]=nlb`]));
    const traefik = YAML.parseAllDocuments(files.get("helm-releases.yaml")!).map((d) => d.toJSON()).find((r) => r.release === "traefik");
    expect(traefik.values.service.annotations).toEqual({ [annotation]: "nlb" });
  });

  test("an override reaches the rendered objects", async () => {
    const files = renderFiles(await runStack("dev", ["app.replicas=4", "namespace=realtime"]));
    const deployment = YAML.parseAllDocuments(files.get("websocket-echo.yaml")!)[0].toJSON();
    expect(deployment.spec.replicas).toBe(4);
    expect(deployment.metadata.namespace).toBe("realtime");
  });

  test("text that looks like a number stays text where a string is wanted, from --config to the rendered objects", async () => {
    const files = renderFiles(await runStack("dev", ["namespace=123", "app.env.LISTEN_PORT=8080", "app.env.VERBOSE=true", "app.image=ghcr.io/acme/echo:20251124"]));
    const deployment = YAML.parseAllDocuments(files.get("websocket-echo.yaml")!)[0].toJSON();
    expect(deployment.metadata.namespace).toBe("123");
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe("ghcr.io/acme/echo:20251124");
    expect(container.env).toEqual(expect.arrayContaining([{ name: "LISTEN_PORT", value: "8080" }, { name: "VERBOSE", value: "true" }]));
  });

  test("secure: values are replaced by a visible placeholder", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-"));
    fs.writeFileSync(path.join(dir, "Pulumi.secret-test.yaml"), "config:\n  websocket-platform:token:\n    secure: AAABAJ0xZ==\n");
    try {
      expect(readStackFile("secret-test", dir)["websocket-platform:token"]).toBe(secretPlaceholder);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  test("the CLI writes files to --out, and a bad config exits non-zero with the config error alone", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "render-"));
    const ok = await renderCli(["staging", "--out", out]);
    expect(ok.stdout).toContain("Rendered stack staging");
    expect(fs.readdirSync(out)).toContain("websocket-echo.yaml");

    const bad = await renderCli(["staging", "--out", out, "--config", "app.replicas=0", "--config", "ingress.controller=envoy"]).then(
      () => undefined,
      (error) => error as { code: number; stderr: string },
    );
    expect(bad?.code).toBe(2);
    expect(bad?.stderr.trim().split("\n")).toEqual([
      "Invalid configuration (2 values):",
      "  - websocket-platform:app.replicas: got 0; allowed: at least 1",
      '  - websocket-platform:ingress.controller: got "envoy"; allowed: "nginx", "traefik", "haproxy", "nginx-gateway-fabric", "istio"',
    ]);
    fs.rmSync(out, { recursive: true });
  });
});

/** Every path under `dir` with its content (files) or kind, to prove nothing changed. */
function treeOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      const rel = path.relative(dir, full);
      if (entry.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(full)}`;
      else if (entry.isDirectory()) {
        out[rel] = "dir";
        walk(full);
      } else out[rel] = fs.readFileSync(full, "utf8");
    }
  };
  walk(dir);
  return out;
}

/** The repository's top level (stack files, sources): what a stray write or delete would touch. */
function repoTopLevel(): Record<string, number> {
  return Object.fromEntries(fs.readdirSync(repoRoot).filter((f) => f !== "out").map((f) => [f, fs.lstatSync(path.join(repoRoot, f)).mtimeMs]));
}

describe("npm run render never destroys", () => {
  let sandbox: string;
  let repoBefore: Record<string, number>;
  beforeEach(() => {
    sandbox = fs.mkdtempSync(path.join(os.tmpdir(), "render-sandbox-"));
    fs.writeFileSync(path.join(sandbox, "keep.txt"), "the user's file\n");
    repoBefore = repoTopLevel();
  });
  afterEach(() => {
    expect(repoTopLevel()).toEqual(repoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    fs.rmSync(sandbox, { recursive: true, force: true });
  });

  const renderInto = (out: string, overrides: string[] = []) => renderToDirectory({ stack: "dev", out, overrides });
  const refusal = async (promise: Promise<unknown>): Promise<string> =>
    promise.then(
      () => "no error",
      (error: Error) => error.message,
    );

  test("a new directory gets the files and a marker; rendering again replaces only what render wrote", async () => {
    const out = path.join(sandbox, "out", "dev");
    const first = await renderInto(out);
    expect(fs.readdirSync(out).sort()).toEqual([renderMarkerFile, ...first].sort());
    expect(JSON.parse(fs.readFileSync(path.join(out, renderMarkerFile), "utf8")).files).toEqual(first);
    fs.writeFileSync(path.join(out, "notes.md"), "mine\n");
    fs.writeFileSync(path.join(out, "stale.yaml"), "not listed in the marker\n");
    await renderInto(out, ["app.replicas=2"]);
    expect(fs.readFileSync(path.join(out, "notes.md"), "utf8")).toBe("mine\n");
    expect(fs.readFileSync(path.join(out, "stale.yaml"), "utf8")).toBe("not listed in the marker\n");
    expect(fs.readFileSync(path.join(out, "websocket-echo.yaml"), "utf8")).toContain("replicas: 2");
    expect(treeOf(sandbox)["keep.txt"]).toBe("the user's file\n");
  });

  test("an empty existing directory is used", async () => {
    const out = path.join(sandbox, "empty");
    fs.mkdirSync(out);
    await renderInto(out);
    expect(fs.readdirSync(out)).toContain(renderMarkerFile);
  });

  test.each([
    ["a non-empty directory render did not write", (dir: string) => fs.mkdirSync(path.join(dir, "src")), "src", /is not empty and was not written by render/],
    ["a file", (dir: string) => fs.writeFileSync(path.join(dir, "file.yaml"), "x: 1\n"), "file.yaml", /is a file, not a directory/],
    ["a symbolic link to a directory", (dir: string) => fs.symlinkSync(dir, path.join(dir, "link")), "link", /is a symbolic link/],
    ["the sandbox itself (holds keep.txt)", () => undefined, ".", /is not empty and was not written by render/],
  ])("--out %s is refused in one line, and nothing changes", async (_, setUp, target, message) => {
    setUp(sandbox);
    fs.writeFileSync(path.join(sandbox, "src-marker-free.txt"), "x\n");
    if (fs.existsSync(path.join(sandbox, "src")) && fs.statSync(path.join(sandbox, "src")).isDirectory()) fs.writeFileSync(path.join(sandbox, "src", "main.ts"), "code\n");
    const before = treeOf(sandbox);
    const error = await refusal(renderInto(path.join(sandbox, target)));
    expect(error).toMatch(message);
    expect(error).not.toContain("\n");
    expect(treeOf(sandbox)).toEqual(before);
  });

  test("a marker that lists paths instead of file names is refused", async () => {
    const out = path.join(sandbox, "out");
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, renderMarkerFile), JSON.stringify({ files: ["../keep.txt"] }));
    const before = treeOf(sandbox);
    expect(await refusal(renderInto(out))).toMatch(/was not written by render/);
    expect(treeOf(sandbox)).toEqual(before);
  });

  test.each(["../Pulumi", "..", "dev/../prod", "dev\\x", "/etc/passwd", ".hidden", "nope", ""])("stack name %j is refused", (stack) => {
    expect(() => checkStackName(stack)).toThrow(/Unknown stack .*: give one of dev, prod, staging/);
    expect(() => readStackFile(stack)).toThrow(/Unknown stack/);
  });

  test("parseRenderArgs validates the stack and wants a value after --out", () => {
    expect(parseRenderArgs(["dev"]).out).toBe(path.join(repoRoot, "out", "dev"));
    expect(() => parseRenderArgs(["../dev"])).toThrow(/Unknown stack/);
    expect(() => parseRenderArgs(["dev", "--out"])).toThrow(/--out needs a value/);
  });

  test.each([
    "__proto__.polluted=1",
    "app.__proto__.polluted=1",
    'app["__proto__"].polluted=1',
    "constructor.prototype.polluted=1",
    "app.constructor=1",
    "ingress.values.prototype.polluted=1",
  ])("--config %s is refused and pollutes nothing", (override) => {
    expect(() => applyOverrides({}, [override], "websocket-platform")).toThrow(/is not a config key \(it names an object's prototype\)/);
  });

  test(`list indexes above ${maxConfigIndex} are refused; up to it they are paths`, () => {
    expect(parsePath(`ingress.hosts[${maxConfigIndex}]`)).toEqual(["ingress", "hosts", maxConfigIndex]);
    expect(() => parsePath("ingress.hosts[1000]")).toThrow(/list index 1000 is above 999/);
    expect(() => parsePath("ingress.hosts[99999999999999999999]")).toThrow(/list index/);
  });

  test("--config through a scalar or into the wrong kind of node is one clear error", () => {
    const config = { "websocket-platform:app": { image: "x:1" }, "websocket-platform:ingress": { hosts: ["a.example.com"] } };
    expect(() => applyOverrides(config, ["app.image.tag=2"], "websocket-platform")).toThrow(/app\.image is a string in the stack, not an object/);
    expect(() => applyOverrides(config, ["ingress.hosts.first=b"], "websocket-platform")).toThrow(/ingress\.hosts is a list in the stack, not an object/);
    expect(() => applyOverrides(config, ["[0]=x"], "websocket-platform")).toThrow(/Bad config path/);
  });

  test.each([
    ["a self-referencing alias in a list", "config:\n  websocket-platform:app: &a [*a]\n", /the YAML alias at config\.websocket-platform:app\[0\] refers to a node that contains it/],
    ["a self-referencing alias in a map", "config:\n  websocket-platform:app: &a\n    image: *a\n", /the YAML alias at config\.websocket-platform:app\.image refers to a node/],
    ["config as a list", "config:\n  - websocket-platform:environment\n", /config must be a mapping of keys to values, got a list/],
    ["config as text", "config: dev\n", /config must be a mapping of keys to values, got string/],
    ["a whole file that is a list", "- a\n- b\n", /config must be a mapping/],
    ["an alias before its anchor", "config: *x\n", /Pulumi\.broken\.yaml: Unresolved alias/],
    ["a syntax error", "config:\n  a: [\n", /Pulumi\.broken\.yaml: Flow sequence/],
  ])("a stack file with %s is one line naming the file", (_, text, message) => {
    fs.writeFileSync(path.join(sandbox, "Pulumi.broken.yaml"), text);
    let error = "no error";
    try {
      readStackFile("broken", sandbox);
    } catch (e) {
      error = (e as Error).message;
    }
    expect(error).toMatch(message);
    expect(error).not.toContain("\n");
  });

  test("a shared (not looping) alias is fine", () => {
    fs.writeFileSync(path.join(sandbox, "Pulumi.shared.yaml"), "config:\n  a: &h [ws.example.com]\n  b: *h\n");
    expect(readStackFile("shared", sandbox)).toEqual({ a: ["ws.example.com"], b: ["ws.example.com"] });
  });

  test("the CLI prints a refusal in one line and exits 1, writing nothing", async () => {
    fs.mkdirSync(path.join(sandbox, "project"));
    fs.writeFileSync(path.join(sandbox, "project", "index.ts"), "code\n");
    const before = treeOf(sandbox);
    const failures = await Promise.all(
      [["dev", "--out", path.join(sandbox, "project")], ["../../etc/passwd"], ["dev", "--config", "__proto__.polluted=yes"]].map((args) =>
        renderCli(args).then(
          () => undefined,
          (error) => error as { code: number; stderr: string },
        ),
      ),
    );
    for (const failure of failures) {
      expect(failure?.code).toBe(1);
      expect(failure?.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(failures[0]?.stderr).toContain("is not empty and was not written by render");
    expect(failures[1]?.stderr).toContain('Unknown stack "../../etc/passwd"');
    expect(failures[2]?.stderr).toContain("it names an object's prototype");
    expect(treeOf(sandbox)).toEqual(before);
  });
});
