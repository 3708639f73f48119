// Shard 4 of the unit layer: its files are listed in test/unitShards.js.
import { runShard } from "../support/runShard";

runShard(__filename);
