// The dialpad's Content-Security-Policy, shared by the build that writes it (web/build.ts) and the hosts that
// publish or serve it (publish-dialpad.ts, dev/static-server.ts). The origins the dialpad may connect to (the
// API, the SIP WebSocket) are known only where it is deployed, so the build leaves CONNECT_ORIGINS_MARKER in
// connect-src and whoever publishes it puts the deployment's origins there: the policy then names exactly
// those, never a whole scheme such as https: or wss:. Served without substitution, the marker (a quoted word
// browsers ignore) leaves 'self' only, which fails closed.
//
// frame-ancestors cannot be set by a <meta> policy, and Blob Storage's static website cannot send headers, so
// the dialpad also refuses to run inside another page itself (web/src/main.tsx); hosts that can send headers
// send FRAME_HEADERS.

export const CONNECT_ORIGINS_MARKER = "'dialpad-connect-origins'";

/** The policy the build writes into index.html's <meta http-equiv="Content-Security-Policy">. */
export const DIALPAD_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' blob: mediastream:",
  `connect-src 'self' ${CONNECT_ORIGINS_MARKER}`,
  "manifest-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Response headers for hosts that can send them: no page of another site may frame the dialpad. */
export const FRAME_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
});

/**
 * The connect-src sources for these URLs: each one's origin (scheme, host, port), de-duplicated. Only https and
 * wss, or http and ws on loopback (local development); anything else is refused with an Error naming it.
 */
export function connectSources(urls: readonly string[]): string[] {
  const origins = new Set<string>();
  for (const value of urls) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`Not a URL for the dialpad's connect-src: ${JSON.stringify(value.slice(0, 80))}`);
    }
    const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    const allowed =
      url.protocol === 'https:' || url.protocol === 'wss:' || (loopback && /^(http|ws):$/.test(url.protocol));
    if (!allowed || url.username || url.password) {
      throw new Error(`The dialpad may only connect to https/wss origins (http/ws on loopback): ${url.origin}`);
    }
    // URL.origin is "null" for ws:/wss: in some runtimes; build it from the parts instead.
    origins.add(`${url.protocol}//${url.host}`);
  }
  return [...origins];
}

/** index.html with the deployment's origins in place of the marker; unchanged when it has no marker. */
export function withConnectOrigins(html: string, urls: readonly string[]): string {
  if (!html.includes(CONNECT_ORIGINS_MARKER)) return html;
  const sources = connectSources(urls);
  return html.replace(` ${CONNECT_ORIGINS_MARKER}`, sources.map((source) => ` ${source}`).join(''));
}
