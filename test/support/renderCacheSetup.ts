import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Names this jest run's render cache directory; unset (a test file run by other means), runs are memoized per file only. */
export const renderCacheEnv = "WSP_RENDER_CACHE_DIR";

/** jest globalSetup: a fresh render cache for this run only (workers inherit the variable), so no run reads another's. */
export default function renderCacheSetup(): void {
  process.env[renderCacheEnv] = fs.mkdtempSync(path.join(os.tmpdir(), "wsp-render-"));
}
