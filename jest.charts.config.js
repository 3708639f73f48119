/** The chart layer (`npm run test:charts`): every Helm release templated by a real helm through the real charts; slower than `npm test`. */
const unit = require("./jest.config");

module.exports = {
  ...unit,
  testMatch: ["<rootDir>/test/charts/**/*.charts.ts"],
  globalSetup: "<rootDir>/test/charts/globalSetup.ts",
  testTimeout: 600000,
};
