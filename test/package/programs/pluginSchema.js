// What `pulumi package add <installed package>` does with PulumiPlugin.yaml (@pulumi/pulumi cmd/run-plugin/run.js):
// load the package as Node resolves it, collect its components, and infer their schema. Prints the schema's resource tokens.
"use strict";
const path = require("path");
const { ComponentProvider, getPulumiComponents } = require("@pulumi/pulumi/provider/experimental");

const dir = path.dirname(require.resolve("websocket-platform/package.json"));
const components = getPulumiComponents(require(dir));
const provider = new ComponentProvider({ components, name: require(path.join(dir, "package.json")).name, dirname: dir });
provider.getSchema().then(
  (schema) => {
    const parsed = JSON.parse(schema);
    process.stdout.write(JSON.stringify({ exported: components.map((c) => c.name), resources: parsed.resources }) + "\n");
  },
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
