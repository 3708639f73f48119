/**
 * The long fuzz (`npm run test:fuzz`): the fuzz files of `npm test` with at least 500 valid configs per run
 * (test/fuzz/fuzzSettings.ts reads the size from here; FUZZ_RUNS still overrides it).
 */
const unit = require("./jest.config");

module.exports = {
  ...unit,
  testMatch: ["<rootDir>/test/fuzz/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/"],
  globals: { fuzzValidRuns: 600 },
};
