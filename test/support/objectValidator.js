// A synchronous client of validate-objects.mjs in one long-lived worker thread: kubernetes-models is loaded and each
// CRD schema compiled once per test process instead of once per test file, and validateObjects stays synchronous.
const path = require("path");
const { MessageChannel, Worker, receiveMessageOnPort } = require("worker_threads");

const answerTimeoutMs = 120_000;

class ObjectValidator {
  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.signal = new Int32Array(new SharedArrayBuffer(4));
    this.port = port1;
    this.nextId = 0;
    this.worker = new Worker(path.join(__dirname, "validate-objects.mjs"), {
      workerData: { port: port2, signal: this.signal },
      transferList: [port2],
    });
    // Neither keeps the test process alive once its tests are done.
    this.worker.unref();
    this.port.unref();
  }

  /** Failures ({ index, error }) of the core objects and of the custom resources; blocks until the worker answers. */
  validate({ core, custom, crdDirs }) {
    const id = ++this.nextId;
    this.port.postMessage({ id, core, custom, crdDirs });
    const deadline = Date.now() + answerTimeoutMs;
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      const received = receiveMessageOnPort(this.port);
      if (received !== undefined) {
        const answer = received.message;
        if (answer.id !== id) continue;
        if (answer.crash !== undefined) throw new Error(`validate-objects.mjs failed: ${answer.crash}`);
        return { core: answer.core, custom: answer.custom };
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`validate-objects.mjs gave no answer within ${answerTimeoutMs / 1000} s`);
      Atomics.wait(this.signal, 0, seen, left);
    }
  }
}

let shared;
/** The process's one validator, started on first use. */
function objectValidator() {
  shared ??= new ObjectValidator();
  return shared;
}

module.exports = { objectValidator };
