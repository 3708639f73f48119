import * as fs from "fs";
import * as path from "path";
import { globsToMatcher } from "jest-util";

const { shards, alone, elsewhere } = require("./unitShards") as { shards: string[][]; alone: string[]; elsewhere: Record<string, string> };
const unitConfig = require("../jest.config");
const filesConfig = require("../jest.files.config");
const rootDir = path.join(__dirname, "..");

/** Every file under test/ whose name ends in `.test.ts`, relative to test/. */
function testFiles(dir = __dirname): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : testFiles(full);
    return entry.name.endsWith(".test.ts") ? [path.relative(__dirname, full).split(path.sep).join("/")] : [];
  });
}

/** Files (relative to the repository) a jest config's testMatch selects among `candidates`, by jest's own matcher. */
function selectedBy(config: { testMatch: string[] }, candidates: string[]): string[] {
  const matches = globsToMatcher(config.testMatch.map((pattern) => pattern.replace("<rootDir>", rootDir)));
  return candidates.filter((file) => matches(path.join(rootDir, file)));
}

const listed = [...shards.flat(), ...alone, ...Object.keys(elsewhere)];
const shardFiles = fs.readdirSync(path.join(__dirname, "shards")).map((name) => `test/shards/${name}`);

test("every test file is in exactly one shard, the alone list or another layer's list", () => {
  const counts = new Map<string, number>();
  for (const file of listed) counts.set(file, (counts.get(file) ?? 0) + 1);
  const unlisted = testFiles().filter((file) => !counts.has(file));
  const twice = [...counts].filter(([, count]) => count > 1).map(([file]) => file);
  const missing = listed.filter((file) => !fs.existsSync(path.join(__dirname, file)));
  // An unlisted file would never run in `npm test`: add it to the lightest shard of test/unitShards.js.
  expect({ unlisted, twice, missing }).toEqual({ unlisted: [], twice: [], missing: [] });
});

test("one shard file per shard, so no shard's list goes unrun", () => {
  expect(shardFiles.sort()).toEqual(shards.map((_, index) => `test/shards/${index + 1}.ts`).sort());
  for (const file of shardFiles) expect(fs.readFileSync(path.join(rootDir, file), "utf8")).toContain("runShard(__filename)");
});

test("npm test runs the shards and the alone files, and no test file a second time", () => {
  const candidates = [...shardFiles, ...testFiles().map((file) => `test/${file}`)];
  expect(selectedBy(unitConfig, candidates).sort()).toEqual([...shardFiles, ...alone.map((file) => `test/${file}`)].sort());
});

test("jest.files.config.js runs any test file on its own", () => {
  const candidates = [...shardFiles, ...testFiles().map((file) => `test/${file}`)];
  expect(selectedBy(filesConfig, candidates).sort()).toEqual(testFiles().map((file) => `test/${file}`).sort());
});
