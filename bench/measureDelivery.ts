// One measurement in a fresh process for the scale and critical-path benches; prints one JSON object. npm run bench
// runs it compiled (out/bench/bench/measureDelivery.js, plain Node).
import { performance } from "perf_hooks";
import { runProgram } from "../tools/mockRunner";
import { criticalPath } from "./criticalPath";
import { creationGraph } from "./dependencyGraph";
import { sdkFloor } from "./sdkFloor";
import { benchStackConfig } from "./stackConfigEnv";

/** The program a scale mode names: `scale:<program>:<apps>` (scaleProgram.ts) or `scale:floor:<resources>` (sdkFloor.ts). */
function scaleModeProgram(name: string, count: number): () => unknown {
  if (name === "floor") return sdkFloor(count);
  // Required here, not above: the floor's process loads nothing of this package, so its peak is the SDK's alone.
  const { scalePrograms } = require("./scaleProgram") as typeof import("./scaleProgram");
  const program = scalePrograms[name];
  if (!program) throw new Error(`unknown scale program ${name} (known: floor, ${Object.keys(scalePrograms).join(", ")})`);
  return program(count);
}

async function measure(mode: string, stack: string): Promise<void> {
  const config = benchStackConfig();
  if (mode.startsWith("scale:")) {
    const [, name, count] = mode.split(":");
    const program = scaleModeProgram(name, Number(count));
    const started = performance.now();
    const run = await runProgram(program, { stack, config });
    const evalMs = performance.now() - started;
    const rssMb = process.resourceUsage().maxRSS / 1024;
    const ms = performance.now();
    // What the run keeps alive, as opposed to garbage V8 has not collected yet (peak RSS counts both).
    (globalThis as { gc?: () => void }).gc?.();
    const retainedHeapMb = process.memoryUsage().heapUsed / 1024 / 1024;
    process.stdout.write(JSON.stringify({ ms, evalMs, rssMb, retainedHeapMb, resources: run.resources.length }));
  } else if (mode === "critical-path") {
    const { main } = require("../stacks/program") as typeof import("../stacks/program");
    const run = await runProgram(main, { stack, config });
    process.stdout.write(JSON.stringify(criticalPath(run, creationGraph(run))));
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

measure(process.argv[2] ?? "", process.argv[3] ?? "prod").catch((error) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
