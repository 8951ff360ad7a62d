/**
 * The page's Content-Security-Policy: scripts, styles and requests from the page's own origin
 * only, no inline code, no eval, no plugins, no framing. The viewer works under it unchanged.
 */
export const VIEWER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const COMMON = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Headers of the HTML page: strict CSP, never cached (it is served only to authorized users). */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  ...COMMON,
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': VIEWER_CSP,
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

/** Headers of a refusal or error answered in place of the page. */
export const TEXT_HEADERS: Readonly<Record<string, string>> = {
  ...COMMON,
  'content-type': 'text/plain; charset=utf-8',
  'content-security-policy': VIEWER_CSP,
  'cache-control': 'no-store',
};

/** Headers of a content-hashed asset: its name changes with its content, so it is cached for good. */
export function assetHeaders(contentType: string): Record<string, string> {
  return {
    ...COMMON,
    'content-type': contentType,
    'cache-control': 'public, max-age=31536000, immutable',
  };
}
