// See ../lazyModule.js. `import ts from "typescript"` must get the module itself as its default.
module.exports = require("../lazyModule")("typescript", { esModule: false });
