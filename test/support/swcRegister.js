// Loads TypeScript in the processes tests start (CLIs, servers) the way jest loads it: swc, no type-check, and no
// source-map support (ts-node installs it, and formatting Pulumi's per-promise stack captures through it costs seconds).
const fs = require("fs");
const { transformSync } = require("@swc/core");

require.extensions[".ts"] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, "utf8"), {
    filename,
    jsc: { target: "es2022", parser: { syntax: "typescript" } },
    module: { type: "commonjs" },
  });
  module._compile(code, filename);
};

