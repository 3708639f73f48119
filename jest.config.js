/** One transform (swc, no type-check: `npm run typecheck` does that once) and the config store primed before any test module loads. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  setupFiles: ["<rootDir>/test/support/jest-setup.ts"],
  // The examples import the package by name, as users do; in this repository that name is the sources.
  moduleNameMapper: { "^websocket-platform$": "<rootDir>/components/index.ts" },
  testTimeout: 120000,
};
