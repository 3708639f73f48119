// An ES module consumer: Node's CommonJS interop must expose the named exports of the compiled package.
import { WebSocketPlatform } from "websocket-platform";

if (typeof WebSocketPlatform !== "function") throw new Error(`WebSocketPlatform is ${typeof WebSocketPlatform} through import`);
process.stdout.write("[]\n");
