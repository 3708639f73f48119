import * as fs from "node:fs";
import * as path from "node:path";

/** The echo-server builds on its own: Dockerfile, ignore file, package.json and lockfile agree with the code. */
const root = path.resolve(__dirname, "../..");
const dir = path.join(root, "examples/echo-server");
const dockerfile = fs.readFileSync(path.join(dir, "Dockerfile"), "utf8");
const lines = dockerfile.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
const args = Object.fromEntries(lines.filter((l) => l.startsWith("ARG ")).map((l) => l.slice(4).split("=") as [string, string]));
const stages = dockerfile.split(/^FROM /m).slice(1);
const finalStage = stages[stages.length - 1];

function copies(): { source: string; target: string }[] {
  return lines
    .filter((l) => l.startsWith("COPY ") && !l.includes("--from="))
    .map((l) => {
      const parts = l.split(/\s+/).slice(1);
      return { source: parts[0], target: parts[1] };
    });
}

/** Context files the build sees: `*` then `!path` exceptions (the only pattern forms the ignore file uses). */
function inContext(file: string): boolean {
  const patterns = fs
    .readFileSync(path.join(dir, "Dockerfile.dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  expect(patterns[0]).toBe("*");
  return patterns.slice(1).some((p) => p.startsWith("!") && (file === p.slice(1).replace(/\/$/, "") || file.startsWith(p.slice(1))));
}

test("base images are pinned: the build image to a Node patch release, the runtime to a distroless nonroot image", () => {
  expect(args.BUILD_IMAGE).toMatch(/^docker\.io\/library\/node:24\.\d+\.\d+-[a-z0-9.-]+$/);
  expect(args.RUNTIME_IMAGE).toMatch(/^gcr\.io\/distroless\/nodejs24-debian13:nonroot$/);
  expect(stages.map((s) => s.split(/\s/)[0])).toEqual(["${BUILD_IMAGE}", "${RUNTIME_IMAGE}"]);
});

test("the runtime stage needs no shell: no RUN, numeric non-root USER, exec-form CMD", () => {
  expect(finalStage).not.toMatch(/^RUN /m);
  const user = finalStage.match(/^USER (\d+):(\d+)$/m);
  expect(user).not.toBeNull();
  expect(Number(user![1])).toBeGreaterThan(0);
  const cmd = finalStage.match(/^CMD (.+)$/m)![1];
  expect(JSON.parse(cmd)).toEqual(["dist/examples/echo-server/src/main.js"]);
});

test("every file the build copies exists and is in the build context", () => {
  for (const { source } of copies()) {
    expect(fs.existsSync(path.join(root, source))).toBe(true);
    expect(inContext(source)).toBe(true);
  }
});

test("the files the server imports from outside its folder are exactly those the Dockerfile copies", () => {
  const sources = fs.readdirSync(path.join(dir, "src")).filter((f) => f.endsWith(".ts"));
  const outside = new Set<string>();
  for (const file of sources) {
    const text = fs.readFileSync(path.join(dir, "src", file), "utf8");
    for (const [, spec] of text.matchAll(/from "(\.\.\/[^"]+)"/g)) {
      const resolved = path.relative(root, path.resolve(dir, "src", spec));
      if (!resolved.startsWith("examples/echo-server/")) outside.add(`${resolved}.ts`);
    }
  }
  const copied = copies()
    .map((c) => c.source)
    .filter((s) => s.startsWith("components/"));
  expect([...outside].sort()).toEqual(copied.sort());
  // And they are plain data: no imports of their own, so the image needs nothing else from the package.
  for (const file of outside) expect(fs.readFileSync(path.join(root, file), "utf8")).not.toMatch(/^import /m);
});

test("package.json pins the library versions CI runs the server with, and the lockfile matches it", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const lock = JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8"));
  const all = { ...pkg.dependencies, ...pkg.devDependencies } as Record<string, string>;
  for (const [name, version] of Object.entries(all)) {
    const installed = JSON.parse(fs.readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")).version;
    expect(`${name}@${version}`).toBe(`${name}@${installed}`);
    expect(`${name}@${lock.packages[`node_modules/${name}`].version}`).toBe(`${name}@${version}`);
  }
  expect(lock.packages[""].dependencies).toEqual(pkg.dependencies);
  expect(lock.packages[""].devDependencies).toEqual(pkg.devDependencies);
});
