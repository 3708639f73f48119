// See ../lazyModule.js. @pulumi/pulumi reads it through __importStar, which returns an __esModule as it is.
module.exports = require("../lazyModule")("@npmcli/arborist", { esModule: true });
