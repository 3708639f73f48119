/**
 * The one spelling of a WebSocket `Origin` the platform and the reference server compare: `scheme://host[:port]`,
 * lower case, default port dropped (WHATWG URL serialisation, as browsers send it). Dependency-free on purpose: the
 * echo-server image copies this file.
 */

/** `ALLOWED_ORIGINS` value that allows every origin (turns the cross-site check off). */
export const anyOrigin = "*";

/** No path, query, fragment, user info, backslash or white space: only `scheme://host[:port]`. */
const originShape = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\@\s,]+$/i;

/**
 * The normalised origin, or undefined when `text` is not an origin. `null` (sandboxed frames, file pages) is not an
 * origin one can allow: every attacker page can send it.
 */
export function normalizeOrigin(text: string): string | undefined {
  if (!originShape.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.host === "") return undefined;
  // url.host is lower case (punycode) without the scheme's default port for http, https, ws and wss.
  return `${url.protocol}//${url.host.toLowerCase()}`;
}
