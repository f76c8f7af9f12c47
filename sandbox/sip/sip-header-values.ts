// Structured views of SIP header values: URIs (RFC 3261 §19.1), name-addr with header parameters (From, To,
// Contact, Route), Via, and the comma-separated key=value lists of digest auth headers (RFC 2617 §3.2).

export interface SipUri {
  scheme: 'sip' | 'sips';
  user?: string; // unescaped
  host: string; // lower-case
  port?: number;
  params: Record<string, string>; // lower-case names; flag params map to ''
}

export interface NameAddr {
  display?: string;
  uri: string;
  params: Record<string, string>; // header params (tag, expires, +sip.instance, reg-id…), lower-case names
}

export interface Via {
  transport: string; // "WS", "WSS", "UDP"…
  host: string;
  port?: number;
  params: Record<string, string>;
}

function parseParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const raw of splitOutsideQuotes(text, ';')) {
    const piece = raw.trim();
    if (!piece) continue;
    const eq = piece.indexOf('=');
    const name = (eq === -1 ? piece : piece.slice(0, eq)).trim().toLowerCase();
    params[name] = eq === -1 ? '' : piece.slice(eq + 1).trim();
  }
  return params;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"' && text[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && text[i] === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

export function parseSipUri(text: string): SipUri | undefined {
  const match = /^(sips?):(?:([^@;?]+)@)?([^;?:]+|\[[^\]]+\])(?::(\d+))?([^?]*)/i.exec(text.trim());
  if (!match) return undefined;
  // Groups 1, 3 and 5 always take part in a match; 2 (user) and 4 (port) are optional.
  const [, scheme, userPart, host, port, params] = match;
  let user: string | undefined;
  if (userPart !== undefined) {
    const rawUser = userPart.replace(/:.*$/s, ''); // drop a "user:password" password (deprecated, never used here)
    try {
      user = decodeURIComponent(rawUser);
    } catch {
      return undefined;
    }
  }
  return {
    scheme: scheme!.toLowerCase() as 'sip' | 'sips',
    ...(user === undefined ? {} : { user }),
    host: host!.toLowerCase(),
    ...(port === undefined ? {} : { port: Number(port) }),
    params: parseParams(params!.replace(/^;/, '')),
  };
}

/** `"Alice" <sip:a@b;transport=ws>;tag=1`, `<sip:a@b>;expires=0`, or a bare `sip:a@b;tag=1` (params are header params). */
export function parseNameAddr(text: string): NameAddr | undefined {
  const value = text.trim();
  const open = value.indexOf('<');
  if (open !== -1) {
    const close = value.indexOf('>', open);
    if (close === -1) return undefined;
    let display = value.slice(0, open).trim();
    if (display.startsWith('"') && display.endsWith('"')) display = display.slice(1, -1);
    return {
      ...(display ? { display } : {}),
      uri: value.slice(open + 1, close).trim(),
      params: parseParams(value.slice(close + 1).replace(/^\s*;/, '')),
    };
  }
  const semi = value.indexOf(';');
  const uri = semi === -1 ? value : value.slice(0, semi);
  if (!/^sips?:/i.test(uri)) return undefined;
  return { uri, params: parseParams(semi === -1 ? '' : value.slice(semi + 1)) };
}

export function formatNameAddr(nameAddr: NameAddr): string {
  const display = nameAddr.display ? `"${nameAddr.display.replace(/"/g, '')}" ` : '';
  const params = Object.entries(nameAddr.params)
    .map(([k, v]) => (v === '' ? `;${k}` : `;${k}=${v}`))
    .join('');
  return `${display}<${nameAddr.uri}>${params}`;
}

export function parseVia(text: string): Via | undefined {
  const match = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+([^;:\s]+|\[[^\]]+\])(?::(\d+))?\s*(.*)$/i.exec(text.trim());
  if (!match) return undefined;
  // Groups 1, 2 and 4 always take part in a match; 3 (port) is optional.
  const [, transport, host, port, params] = match;
  return {
    transport: transport!.toUpperCase(),
    host: host!.toLowerCase(),
    ...(port === undefined ? {} : { port: Number(port) }),
    params: parseParams(params!.replace(/^;/, '')),
  };
}

/** `Digest username="alice", realm="x", qop=auth, nc=00000001` → {username:'alice', …}; undefined if not Digest. */
export function parseDigestParams(text: string): Record<string, string> | undefined {
  const list = /^\s*Digest\s+(.*)$/is.exec(text)?.[1];
  if (list === undefined) return undefined;
  const params: Record<string, string> = {};
  const pattern = /([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)\s*(?:,|$)/g;
  for (const [, name, raw] of list.matchAll(pattern)) {
    // Both groups always take part in a match.
    params[name!.toLowerCase()] = raw!.startsWith('"') ? raw!.slice(1, -1).replace(/\\(.)/g, '$1') : raw!;
  }
  return params;
}

/** The `tag` header param of a From/To value. */
export function tagOf(value: string | undefined): string | undefined {
  return value === undefined ? undefined : parseNameAddr(value)?.params.tag;
}
