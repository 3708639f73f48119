import type { IncomingMessage } from "node:http";
import { anyOrigin, normalizeOrigin } from "../../../components/app/origin";
import type { ServerSettings } from "./settings";

/**
 * Whether an upgrade may proceed, judged by the origin the browser claims (cross-site WebSocket hijacking defence).
 * `Sec-WebSocket-Origin` is the origin header of protocol version 8, which `ws` still accepts; two claims are refused.
 */
export function originAllowed(req: IncomingMessage, policy: Pick<ServerSettings, "allowedOrigins" | "allowMissingOrigin">): boolean {
  const claims = [...(req.headersDistinct.origin ?? []), ...(req.headersDistinct["sec-websocket-origin"] ?? [])];
  if (claims.length === 0) return policy.allowMissingOrigin;
  if (claims.length > 1) return false;
  if (policy.allowedOrigins === anyOrigin) return true;
  const origin = normalizeOrigin(claims[0]);
  return origin !== undefined && policy.allowedOrigins.has(origin);
}
