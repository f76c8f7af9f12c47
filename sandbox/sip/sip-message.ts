// A small SIP message parser/serializer (RFC 3261 §7) for one message per WebSocket frame (RFC 7118 §5.3).
// Our own because the `sip` npm package is unmaintained and has no types (docs/contracts/webrtc-testing.md §6). It
// keeps header order and the raw values; structured views (URIs, name-addr, Via, digest) live in sip-header-values.ts.

export interface SipHeader {
  name: string; // canonical spelling (compact forms expanded), e.g. "Call-ID"
  value: string;
}

interface SipMessageBase {
  headers: SipHeader[];
  body: string;
}

export interface SipRequest extends SipMessageBase {
  kind: 'request';
  method: string;
  uri: string;
}

export interface SipResponse extends SipMessageBase {
  kind: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

export class SipParseError extends Error {
  constructor(
    readonly code:
      'sip-empty' | 'sip-bad-start-line' | 'sip-bad-header' | 'sip-missing-header' | 'sip-bad-content-length',
    message: string,
  ) {
    super(message);
    this.name = 'SipParseError';
  }
}

const COMPACT_NAMES: Record<string, string> = {
  v: 'Via',
  f: 'From',
  t: 'To',
  m: 'Contact',
  i: 'Call-ID',
  l: 'Content-Length',
  c: 'Content-Type',
  k: 'Supported',
  s: 'Subject',
  e: 'Content-Encoding',
  o: 'Event',
  r: 'Refer-To',
  u: 'Allow-Events',
};

const CANONICAL_NAMES: Record<string, string> = Object.fromEntries(
  [
    'Via',
    'From',
    'To',
    'Call-ID',
    'CSeq',
    'Contact',
    'Max-Forwards',
    'Content-Length',
    'Content-Type',
    'Route',
    'Record-Route',
    'WWW-Authenticate',
    'Authorization',
    'Proxy-Authenticate',
    'Proxy-Authorization',
    'Expires',
    'Supported',
    'Allow',
    'User-Agent',
    'Server',
    'Session-Expires',
    'Min-SE',
    'Require',
    'Reason',
    'Event',
  ].map((name) => [name.toLowerCase(), name]),
);

/** Headers whose comma-separated values are separate entries (RFC 3261 §7.3.1); split so each entry is one value. */
const LIST_HEADERS = new Set(['via', 'contact', 'route', 'record-route']);

export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT_NAMES[lower] ?? CANONICAL_NAMES[lower] ?? name;
}

/** Splits on commas that are outside quotes and <...> (display names and URIs may contain commas). */
export function splitHeaderList(value: string): string[] {
  const parts: string[] = [];
  let depthAngle = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') depthAngle++;
    else if (ch === '>') depthAngle = Math.max(0, depthAngle - 1);
    else if (ch === ',' && depthAngle === 0) {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter((part) => part.length > 0);
}

const REQUEST_LINE = /^([A-Za-z]+) (\S+) SIP\/2\.0$/;
const STATUS_LINE = /^SIP\/2\.0 (\d{3}) ?(.*)$/;

export function parseSipMessage(text: string): SipMessage {
  if (text.trim() === '') throw new SipParseError('sip-empty', 'empty SIP message');
  const split = text.indexOf('\r\n\r\n');
  const head = split === -1 ? text.replace(/(\r\n)+$/, '') : text.slice(0, split);
  let body = split === -1 ? '' : text.slice(split + 4);
  // Header folding (obsolete but legal): a line starting with whitespace continues the previous one.
  const lines = head.split(/\r?\n/).reduce<string[]>((acc, line) => {
    if (/^[ \t]/.test(line) && acc.length > 1) acc[acc.length - 1] += ' ' + line.trim();
    else acc.push(line);
    return acc;
  }, []);
  const startLine = lines.shift() ?? '';
  const headers: SipHeader[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipParseError('sip-bad-header', `malformed header line: ${line.slice(0, 40)}`);
    const name = canonicalHeaderName(line.slice(0, colon).trim());
    const value = line.slice(colon + 1).trim();
    const values = LIST_HEADERS.has(name.toLowerCase()) && value !== '*' ? splitHeaderList(value) : [value];
    for (const one of values) headers.push({ name, value: one });
  }
  const lengthHeader = headers.find((h) => h.name === 'Content-Length');
  if (lengthHeader) {
    const length = Number(lengthHeader.value);
    if (!Number.isInteger(length) || length < 0) {
      throw new SipParseError('sip-bad-content-length', `bad Content-Length: ${lengthHeader.value}`);
    }
    const bytes = Buffer.from(body, 'utf8');
    if (length > bytes.length) {
      throw new SipParseError(
        'sip-bad-content-length',
        `Content-Length ${length} exceeds the ${bytes.length}-byte body`,
      );
    }
    body = bytes.subarray(0, length).toString('utf8');
  }
  const request = REQUEST_LINE.exec(startLine);
  const response = request ? null : STATUS_LINE.exec(startLine);
  if (!request && !response)
    throw new SipParseError('sip-bad-start-line', `not a SIP start line: ${startLine.slice(0, 60)}`);
  for (const required of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
    if (!headers.some((h) => h.name === required)) {
      throw new SipParseError('sip-missing-header', `missing ${required} header`);
    }
  }
  // Every group of both start-line patterns takes part in a match, so the captures below are all set.
  if (request) return { kind: 'request', method: request[1]!.toUpperCase(), uri: request[2]!, headers, body };
  return { kind: 'response', status: Number(response![1]), reason: response![2]!, headers, body };
}

export function serializeSipMessage(message: SipMessage): string {
  const startLine =
    message.kind === 'request'
      ? `${message.method} ${message.uri} SIP/2.0`
      : `SIP/2.0 ${message.status} ${message.reason}`;
  const lines = [startLine];
  for (const header of message.headers) {
    if (header.name !== 'Content-Length') lines.push(`${header.name}: ${header.value}`);
  }
  lines.push(`Content-Length: ${Buffer.byteLength(message.body, 'utf8')}`);
  return lines.join('\r\n') + '\r\n\r\n' + message.body;
}

export function getHeader(message: SipMessage, name: string): string | undefined {
  const wanted = canonicalHeaderName(name).toLowerCase();
  return message.headers.find((h) => h.name.toLowerCase() === wanted)?.value;
}

export function getHeaders(message: SipMessage, name: string): string[] {
  const wanted = canonicalHeaderName(name).toLowerCase();
  return message.headers.filter((h) => h.name.toLowerCase() === wanted).map((h) => h.value);
}

/** CSeq "314159 INVITE" → {seq, method}. */
export function parseCSeq(message: SipMessage): { seq: number; method: string } {
  const [seq, method] = (getHeader(message, 'CSeq') ?? '').trim().split(/\s+/);
  return { seq: Number(seq), method: (method ?? '').toUpperCase() };
}

export const REASON_PHRASES: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  484: 'Address Incomplete',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  600: 'Busy Everywhere',
  603: 'Decline',
};

/**
 * A response to `request` (RFC 3261 §8.2.6): Via, From, To, Call-ID and CSeq copied; `toTag` added to To when
 * the To has none (the UAS's dialog tag).
 */
export function makeResponse(
  request: SipRequest,
  status: number,
  options: { reason?: string; toTag?: string; headers?: SipHeader[]; body?: string } = {},
): SipResponse {
  const headers: SipHeader[] = [];
  for (const header of request.headers) {
    if (['Via', 'From', 'Call-ID', 'CSeq'].includes(header.name)) headers.push({ ...header });
    else if (header.name === 'To') {
      const needsTag = options.toTag && !/;\s*tag=/i.test(header.value);
      headers.push({ name: 'To', value: needsTag ? `${header.value};tag=${options.toTag}` : header.value });
    }
  }
  headers.push(...(options.headers ?? []));
  return {
    kind: 'response',
    status,
    reason: options.reason ?? REASON_PHRASES[status] ?? 'Unknown',
    headers,
    body: options.body ?? '',
  };
}
