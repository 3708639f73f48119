import * as path from "path";

const { shards } = require("../unitShards") as { shards: string[][] };
const testDir = path.join(__dirname, "..");

/** Registers every test file of the shard named by `shardFile` (test/shards/<n>.ts), each under a describe of its path. */
export function runShard(shardFile: string): void {
  const name = path.basename(shardFile, path.extname(shardFile));
  const files = shards[Number(name) - 1];
  if (!/^[1-9]\d*$/.test(name) || files === undefined) {
    throw new Error(`${shardFile}: no shard ${name} in test/unitShards.js (shards 1 to ${shards.length})`);
  }
  for (const file of files) describe(file, () => void require(path.join(testDir, file)));
}
