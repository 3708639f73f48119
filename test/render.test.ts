import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import YAML from "yaml";
import { charts } from "../components/charts";
import { renderFiles } from "../tools/render";
import { runStack as runStackLive } from "../tools/mockRunner";
import { applyOverrides, parsePath, readStackFile, repoRoot, secretPlaceholder } from "../tools/stackConfig";
import { runStack } from "./support/render";

const exec = promisify(execFile);
const renderCli = (args: string[]) =>
  exec(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", "tools/render.ts", ...args], { cwd: repoRoot });

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

  test("secure: values are replaced by a visible placeholder", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-"));
    const file = path.join(repoRoot, "Pulumi.secret-test.yaml");
    fs.writeFileSync(file, "config:\n  websocket-platform:token:\n    secure: AAABAJ0xZ==\n");
    try {
      expect(readStackFile("secret-test")["websocket-platform:token"]).toBe(secretPlaceholder);
    } finally {
      fs.rmSync(file);
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
