// Runs one compiled consumer program under Pulumi's mocks, as `pulumi up` would run it, and prints what it registered
// as one JSON line: [{ type, name, custom, provider, inputs }] (components too, with custom false). Plain JavaScript, so any Node version runs it unchanged.
"use strict";
const path = require("path");
const pulumi = require("@pulumi/pulumi");

async function main(programFile) {
  const registered = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, custom: args.custom !== false, provider: args.provider, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args) {
        return args.inputs;
      },
    },
    "consumer",
    "prod",
    false,
  );
  // The program registers at load time, as under `pulumi up`; disconnect waits for every registration to reach the mocks.
  await pulumi.runtime.runInPulumiStack(async () => {
    require(path.resolve(programFile));
  });
  await pulumi.runtime.disconnect();
  process.stdout.write(JSON.stringify(registered) + "\n");
}

main(process.argv[2]).catch((error) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
