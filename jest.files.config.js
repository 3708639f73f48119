/**
 * Each test file on its own, in a registry of its own, as jest runs files by default: `npm run test:file -- <path>`
 * runs one file while working on it, and shows that a file passes without the shard's earlier files.
 */
const unit = require("./jest.config");

module.exports = {
  ...unit,
  testMatch: ["<rootDir>/test/**/*.test.ts"],
};
