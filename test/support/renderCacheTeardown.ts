import * as fs from "fs";
import { renderCacheEnv } from "./renderCacheSetup";

/** jest globalTeardown: the run's render cache goes with it. */
export default function renderCacheTeardown(): void {
  const dir = process.env[renderCacheEnv];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
