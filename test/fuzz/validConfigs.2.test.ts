import { validConfigFuzz, validRuns, validShards } from "./fuzzSettings";

test(`generated valid configs render objects the upstream schemas accept (shard 2 of ${validShards}, ${Math.ceil(validRuns / validShards)} configs)`, () =>
  validConfigFuzz(2));
