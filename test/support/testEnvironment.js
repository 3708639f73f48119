// jest's node environment, plus two things every test process shares across its test files.
const { TestEnvironment } = require("jest-environment-node");
const { coreValidator } = require("./coreValidator");

/** `new Error().stack` read inside @pulumi/pulumi: its per-promise debug trace and per-resource source position, unused under mocks. */
const isPulumiCapture = (error, frames) =>
  typeof error === "object" && error !== null && error.message === "" && /[\\/]@pulumi[\\/]pulumi[\\/]/.test(frames[0]?.getFileName() ?? "");

class WebSocketPlatformTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    // One validator per process: jest gives every test file a fresh module registry, which would load kubernetes-models again per file.
    this.global.__validateCoreObjects = (objects) => coreValidator().validate(objects);
  }

  async setup() {
    await super.setup();
    // Pulumi reads `new Error().stack` for every promise and resource; formatting those frames through jest's source
    // maps was most of a mock render's CPU time. They become a bare "Error"; every other stack stays mapped.
    // jest installs its formatter on this realm's Error before each file's setup (Node consults it for sandbox errors too).
    const mapped = Error.prepareStackTrace;
    if (typeof mapped !== "function") return;
    Error.prepareStackTrace = (error, frames) => (isPulumiCapture(error, frames) ? "Error" : mapped(error, frames));
  }
}

module.exports = WebSocketPlatformTestEnvironment;
