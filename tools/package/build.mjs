// `npm run build`: components/ → dist/ (CommonJS + .d.ts), plus the non-TypeScript files components read at run time.
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const source = join(root, "components");
const out = join(root, "dist");

rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });

/** Every file under components/ that tsc does not compile (e.g. smoke/wss-check.mjs, read by path at run time). */
function assets(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) return assets(file);
    return entry.name.endsWith(".ts") ? [] : [file];
  });
}
for (const file of assets(source)) cpSync(file, join(out, relative(source, file)));

