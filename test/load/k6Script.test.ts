import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import ts from "typescript";

/** load/websocket.k6.js: type-checked against @types/k6, and its options follow the parameters it is given. */
const root = path.resolve(__dirname, "../..");
const scriptPath = path.join(root, "load/websocket.k6.js");

test("type-checks against @types/k6 (load/tsconfig.json, checkJs)", () => {
  const configFile = ts.readConfigFile(path.join(root, "load/tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, path.join(root, "load"));
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  expect(parsed.fileNames.map((f) => path.relative(root, f))).toEqual(["load/websocket.k6.js"]);
  expect(diagnostics).toEqual([]);
});

/** Evaluates the script's init context with stand-ins for the k6 modules, as k6 would with `-e` variables. */
function loadScript(env: Record<string, string>, opened: unknown[][] = []) {
  const { outputText } = ts.transpileModule(fs.readFileSync(scriptPath, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
  });
  const metric = class {
    constructor(public name: string) {}
  };
  const modules: Record<string, unknown> = {
    k6: { check: () => true, sleep: () => undefined },
    "k6/execution": { default: { scenario: { startTime: Date.now() } } },
    "k6/metrics": { Counter: metric, Rate: metric, Trend: metric },
    "k6/timers": { setInterval, clearInterval, setTimeout },
    "k6/websockets": {
      WebSocket: class {
        constructor(...args: unknown[]) {
          opened.push(args);
        }
      },
    },
  };
  const module = { exports: {} as Record<string, any> };
  vm.runInNewContext(outputText, { module, exports: module.exports, require: (name: string) => modules[name], __ENV: env });
  return module.exports;
}

const optionsFor = (env: Record<string, string>) => loadScript(env).options;

test("ramps to the target, holds, and gates on upgrades, round trips and unexpected closes", () => {
  const options = optionsFor({ WS_URL: "wss://ws.example.com/", TARGET: "2500", RAMP_SECONDS: "90", HOLD_SECONDS: "300", RTT_P95_MS: "250" });
  const scenario = options.scenarios.connections;
  expect(scenario.executor).toBe("ramping-vus");
  expect(scenario.stages).toEqual([
    { duration: "90s", target: 2500 },
    { duration: "300s", target: 2500 },
    { duration: "10s", target: 0 },
  ]);
  expect(options.thresholds).toMatchObject({
    ws_upgrade_ok: ["rate>0.99"],
    ws_round_trip: ["p(95)<250"],
    ws_unexpected_closes: ["count<1"],
  });
});

test("refuses to run without a ws:// or wss:// URL or with a bad number", () => {
  expect(() => optionsFor({})).toThrow("WS_URL must be the ws:// or wss:// URL");
  expect(() => optionsFor({ WS_URL: "https://ws.example.com/" })).toThrow("WS_URL must be");
  expect(() => optionsFor({ WS_URL: "wss://ws.example.com/", TARGET: "many" })).toThrow("TARGET must be a non-negative number, got many");
});

test("a VU sends ORIGIN as its Origin header, as a page on that origin would, and no Origin without it", () => {
  const withOrigin: unknown[][] = [];
  loadScript({ WS_URL: "wss://ws.example.com/", ORIGIN: "https://app.example.com" }, withOrigin).default();
  expect(withOrigin).toEqual([["wss://ws.example.com/", null, { headers: { Origin: "https://app.example.com" } }]]);
  const native: unknown[][] = [];
  loadScript({ WS_URL: "wss://ws.example.com/" }, native).default();
  expect(native).toEqual([["wss://ws.example.com/", null, null]]);
});
