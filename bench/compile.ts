// The bench's build: what it measures runs compiled, with plain Node, as `pulumi up` runs a built program.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..");
/** bench/tsconfig.json's outDir: the repository's layout, compiled. */
export const benchBuildDir = path.join(root, "out", "bench");

/** Files under `dir` that tsc does not emit (components/smoke/wss-check.mjs, read by path at run time). */
function assets(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return assets(file);
    return entry.name.endsWith(".ts") ? [] : [file];
  });
}

/** Compiles components/, stacks/, the mock runner and the measuring scripts into out/bench/; returns a compiled file's path. */
export function compileBench(): (sourceFile: string) => string {
  fs.rmSync(benchBuildDir, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(__dirname, "tsconfig.json")], { stdio: "inherit" });
  for (const file of assets(path.join(root, "components"))) {
    const target = path.join(benchBuildDir, path.relative(root, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
  return (sourceFile) => path.join(benchBuildDir, path.relative(root, sourceFile)).replace(/\.ts$/, ".js");
}
