// jest's node environment, plus what every test process shares across its test files.
const { TestEnvironment } = require("jest-environment-node");
const { AsyncLocalStorage } = require("async_hooks");
const { objectValidator } = require("./objectValidator");

const sharedAsyncLocalStorage = new AsyncLocalStorage();

// jest compiles every module again for each test file (a fresh registry per file): @pulumi/pulumi, @pulumi/kubernetes,
// zod and ours, about 0.2 s per file. V8's code cache of a module's first compile in this process halves that for
// the later files; the cache is keyed by file name and used only for the same source text.
const vm = require("vm");
const compileFunction = vm.compileFunction;
const codeCache = new Map();
vm.compileFunction = function cachedCompileFunction(code, params, options) {
  const filename = options?.filename;
  if (typeof filename !== "string") return compileFunction.call(this, code, params, options);
  const cached = codeCache.get(filename);
  const reuse = cached !== undefined && cached.code === code;
  const compiled = compileFunction.call(this, code, params, { ...options, ...(reuse ? { cachedData: cached.data } : { produceCachedData: true }) });
  if (!reuse && compiled.cachedData) codeCache.set(filename, { code, data: compiled.cachedData });
  return compiled;
};

/** `new Error().stack` read inside @pulumi/pulumi: its per-promise debug trace and per-resource source position, unused under mocks. */
const isPulumiCapture = (error, frames) =>
  typeof error === "object" && error !== null && error.message === "" && /[\\/]@pulumi[\\/]pulumi[\\/]/.test(frames[0]?.getFileName() ?? "");

class WebSocketPlatformTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    // One validator per process: jest gives every test file a fresh module registry, which would load kubernetes-models
    // and compile the CRD schemas again per file.
    this.global.__validateObjects = (request) => objectValidator().validate(request);
    // @pulumi/pulumi keeps its run state in `global.asyncLocalStorage`, creating one unless a copy of the SDK already
    // did. Each test file's sandbox would create another, and every one stays enabled: every promise of every later
    // file then paid for all of them (6 % of an in-band run's CPU time) and kept their stores alive. One per process.
    this.global.asyncLocalStorage = sharedAsyncLocalStorage;
  }

  async setup() {
    await super.setup();
    // jest raises the limit to 100 frames; Pulumi's captures above then walked its deep promise chains 100 frames
    // deep, a quarter of a mock render's CPU time. Three frames (12 % faster than Node's 10 on fuzz + tls) still
    // point a failing expect, or a throw in our code and its caller, at the line.
    this.global.Error.stackTraceLimit = 3;
    // Pulumi reads `new Error().stack` for every promise and resource; formatting those frames through jest's source
    // maps was most of a mock render's CPU time. They become a bare "Error"; every other stack stays mapped.
    // jest installs its formatter on this realm's Error before each file's setup (Node consults it for sandbox errors too).
    const mapped = Error.prepareStackTrace;
    if (typeof mapped !== "function") return;
    Error.prepareStackTrace = (error, frames) => (isPulumiCapture(error, frames) ? "Error" : mapped(error, frames));
  }
}

module.exports = WebSocketPlatformTestEnvironment;
