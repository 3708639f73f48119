// One measurement in a fresh process: prints {"ms": <since process start>, "rssMb": <peak>} for the mode given.
import { performance } from "perf_hooks";

async function measure(mode: string): Promise<void> {
  if (mode === "baseline") {
    require("@pulumi/pulumi");
    require("@pulumi/kubernetes");
  } else if (mode === "load-program") {
    require("../stacks/index");
  } else {
    const { runStack } = require("../tools/mockRunner") as typeof import("../tools/mockRunner");
    await runStack(mode);
  }
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms: performance.now(), rssMb }));
}

measure(process.argv[2] ?? "baseline").catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
