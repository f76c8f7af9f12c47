// The dialpad refuses to run inside another page (clickjacking: a hostile site could frame it invisibly and
// trick a signed-in person into calling, revealing the SIP password or ending sessions). Hosts that can send
// headers say frame-ancestors 'none' (core/static-site/dialpad-csp.ts); Blob Storage's static website cannot
// send headers and a <meta> CSP cannot carry frame-ancestors, so the page checks for itself before it starts.

/** True when this window is not the top-level one; a cross-origin top that cannot be compared counts as framed. */
export function isFramed(win: Pick<Window, 'top' | 'self'>): boolean {
  try {
    return win.top !== win.self;
  } catch {
    return true;
  }
}
