// jest's node environment, plus two things every test process shares across its test files.
const { TestEnvironment } = require("jest-environment-node");
const { objectValidator } = require("./objectValidator");

/** `new Error().stack` read inside @pulumi/pulumi: its per-promise debug trace and per-resource source position, unused under mocks. */
const isPulumiCapture = (error, frames) =>
  typeof error === "object" && error !== null && error.message === "" && /[\\/]@pulumi[\\/]pulumi[\\/]/.test(frames[0]?.getFileName() ?? "");

class WebSocketPlatformTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    // One validator per process: jest gives every test file a fresh module registry, which would load kubernetes-models
    // and compile the CRD schemas again per file.
    this.global.__validateObjects = (request) => objectValidator().validate(request);
  }

  async setup() {
    await super.setup();
    // jest raises the limit to 100 frames; Pulumi's captures above then walked its deep promise chains 100 frames
    // deep, a quarter of a mock render's CPU time. Node's own default of 10 frames still locates any failure.
    this.global.Error.stackTraceLimit = 10;
    // Pulumi reads `new Error().stack` for every promise and resource; formatting those frames through jest's source
    // maps was most of a mock render's CPU time. They become a bare "Error"; every other stack stays mapped.
    // jest installs its formatter on this realm's Error before each file's setup (Node consults it for sandbox errors too).
    const mapped = Error.prepareStackTrace;
    if (typeof mapped !== "function") return;
    Error.prepareStackTrace = (error, frames) => (isPulumiCapture(error, frames) ? "Error" : mapped(error, frames));
  }
}

module.exports = WebSocketPlatformTestEnvironment;
