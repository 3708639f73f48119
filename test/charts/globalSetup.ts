import * as fs from "fs";
import * as path from "path";
import { renderAll, renderCacheFile } from "./scenarios";

/** Runs once before the chart tests: every scenario under the mock runtime, every distinct release through helm. */
export default async function globalSetup(): Promise<void> {
  // The mock runner's config store is read once, at first use (see test/support/jest-setup.ts).
  process.env.PULUMI_CONFIG = process.env.PULUMI_CONFIG ?? "{}";
  const render = await renderAll();
  fs.mkdirSync(path.dirname(renderCacheFile), { recursive: true });
  fs.writeFileSync(renderCacheFile, JSON.stringify(render));
  const count = Object.keys(render.releases).length;
  process.stdout.write(
    `\nhelm ${render.helm.version} (${render.helm.source}): ${render.scenarios.length} scenarios in ${render.seconds.program.toFixed(1)} s, ` +
      `${count} distinct releases templated in ${render.seconds.helm.toFixed(1)} s\n`,
  );
}
