/**
 * One transform (swc, no type-check: `npm run typecheck` does that once), the config store primed before any test
 * module loads, a render cache shared by the run's test files, and one test process per core (jest's default of
 * cores − 1 leaves a 2-core runner with one).
 */
module.exports = {
  testEnvironment: "<rootDir>/test/support/testEnvironment.js",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // The second fuzz shard runs in `npm run test:fuzz` (jest.fuzz.config.js), which CI runs too: 50 valid configs here.
  testPathIgnorePatterns: ["/node_modules/", "/test/fuzz/validConfigs\\.2\\.test\\.ts$"],
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
