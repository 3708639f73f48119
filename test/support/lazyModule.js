// A stand-in for a heavy module that @pulumi/pulumi requires when it loads but tests seldom use (function
// serialization, package analysis): jest.config.js maps the module's name here, and the real one loads on first use.
// jest compiles every module again for each test file; these two were a third of the code loaded per file.
const fs = require("fs");
const path = require("path");

/** The package's main file, found as Node would from here; jest's own resolvers would answer with the stand-in. */
function mainFile(request) {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "node_modules", request, "package.json");
    if (fs.existsSync(manifest)) return path.join(path.dirname(manifest), JSON.parse(fs.readFileSync(manifest, "utf8")).main ?? "index.js");
    if (path.dirname(dir) === dir) throw new Error(`lazyModule: ${request} is not installed`);
  }
}

module.exports = function lazyModule(request, { esModule }) {
  const file = mainFile(request);
  let real;
  const load = () => (real ??= require(file));
  return new Proxy(
    {},
    {
      // Interop helpers ask for __esModule first; answering it must not load the module.
      get: (_target, key) => (key === "__esModule" ? esModule : Reflect.get(load(), key)),
      has: (_target, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
};
