// One measurement in a fresh process: prints {"ms": <since process start>, "rssMb": <peak>} for the mode given
// (`breakdown:<stack>` prints where the time of evaluating that stack goes instead). npm run bench runs this file
// compiled (out/bench/bench/measure.js, plain Node); the ts-node arms run it as TypeScript.
import { performance } from "perf_hooks";
import { benchStackConfig } from "./stackConfigEnv";
import { requireBreakdown } from "./requireBreakdown";

/** Evaluates the stack under the mocks; returns how many resources it registered. */
async function evaluateStack(stack: string): Promise<number> {
  const { runProgram } = require("../tools/mockRunner") as typeof import("../tools/mockRunner");
  const { main } = require("../stacks/program") as typeof import("../stacks/program");
  return (await runProgram(main, { stack, config: benchStackConfig() })).resources.length;
}

async function measure(mode: string): Promise<void> {
  if (mode === "baseline") {
    require("@pulumi/pulumi");
    require("@pulumi/kubernetes");
  } else if (mode === "load-program") {
    require("../stacks/index");
  } else if (mode === "require-entry") {
    // What a program importing this package loads before it creates anything.
    require("../components/index");
  } else if (mode === "one-deployment") {
    // The floor of any program under the same mocks: one resource, which loads the SDK's lazy modules it needs.
    const { runProgram } = require("../tools/mockRunner") as typeof import("../tools/mockRunner");
    const k8s = require("@pulumi/kubernetes") as typeof import("@pulumi/kubernetes");
    const labels = { app: "floor" };
    await runProgram(
      () => {
        new k8s.apps.v1.Deployment("floor", { spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "c", image: "nginx:1.29" }] } } } });
      },
      { stack: "prod", config: {} },
    );
  } else if (mode.startsWith("sdk-floor:")) {
    // As many resources as a stack registers, as bare ConfigMaps (bench/sdkFloor.ts): the SDK's own cost of that many.
    const { runProgram } = require("../tools/mockRunner") as typeof import("../tools/mockRunner");
    const { sdkFloor } = require("./sdkFloor") as typeof import("./sdkFloor");
    await runProgram(sdkFloor(Number(mode.slice("sdk-floor:".length))), { stack: "prod", config: {} });
  } else if (mode.startsWith("count:")) {
    process.stdout.write(JSON.stringify({ resources: await evaluateStack(mode.slice("count:".length)) }));
    return;
  } else if (mode.startsWith("breakdown:")) {
    // breakdown:baseline times the two SDKs' load alone, breakdown:<stack> the stack's evaluation.
    const stack = mode.slice("breakdown:".length);
    const loadSdks = async () => void [require("@pulumi/pulumi"), require("@pulumi/kubernetes")];
    const report = await requireBreakdown(stack === "baseline" ? loadSdks : async () => void (await evaluateStack(stack)));
    process.stdout.write(JSON.stringify(report));
    return;
  } else {
    await evaluateStack(mode);
  }
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms: performance.now(), rssMb }));
}

measure(process.argv[2] ?? "baseline").catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
