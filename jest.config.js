const { alone } = require("./test/unitShards");

/**
 * The unit layer (`npm test`): its test files run in shards that share one module registry (test/unitShards.js).
 * One transform (swc, no type-check: `npm run typecheck` does that once), the config store primed before any test
 * module loads, a render cache shared by the run's test files, and one test process per core (jest's default of
 * cores − 1 leaves a 2-core runner with one).
 */
module.exports = {
  testEnvironment: "<rootDir>/test/support/testEnvironment.js",
  roots: ["<rootDir>/test"],
  testMatch: ["<rootDir>/test/shards/*.ts", ...alone.map((file) => `<rootDir>/test/${file}`)],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  // Loaded on first use instead of with @pulumi/pulumi (test/support/lazyModule.js).
  moduleNameMapper: {
    "^typescript$": "<rootDir>/test/support/lazy/typescript.js",
    "^@npmcli/arborist$": "<rootDir>/test/support/lazy/arborist.js",
    // The examples import the package by name, as users do; in this repository that name is the sources.
    "^websocket-platform$": "<rootDir>/components/index.ts",
  },
  setupFiles: ["<rootDir>/test/support/jest-setup.ts"],
  globalSetup: "<rootDir>/test/support/renderCacheSetup.ts",
  globalTeardown: "<rootDir>/test/support/renderCacheTeardown.ts",
  maxWorkers: require("os").availableParallelism(),
  testTimeout: 120000,
};
