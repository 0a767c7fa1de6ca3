/**
 * The part of a URL an audit record may hold: scheme, host (with port) and path. Credentials, query and
 * fragment are where receivers put tokens, so they never reach the log. Not a URL: null.
 */
export function auditUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return `${url.protocol}//${url.host}${url.pathname}`;
}
