// Which client a request counts against. Azure's front end appends the address of the connection it
// accepted to X-Forwarded-For (as "ip:port"); anything to the left of that entry came from the client and
// proves nothing, so only the RIGHT-MOST entry is used (azure-functions.md §10). The local host
// (dev/local-host.ts) appends the socket's address the same way.
import { isIPv4, isIPv6 } from 'node:net';

/** Requests whose address cannot be read all share this one bucket: they are limited together, not let through. */
export const UNKNOWN_ADDRESS = 'unknown';

/**
 * The client address a limit counts, from the X-Forwarded-For header as the function received it:
 * an IPv4 address, or an IPv6 address's /64 network (one subscriber usually holds a whole /64, so counting
 * single IPv6 addresses would give one client 2^64 quotas), written as its first four groups and "::".
 */
export function clientAddress(forwardedFor: string | null | undefined): string {
  const entries = (forwardedFor ?? '').split(',');
  const last = entries[entries.length - 1]?.trim() ?? '';
  return normalise(stripPort(last)) ?? UNKNOWN_ADDRESS;
}

/** "1.2.3.4:5678" → "1.2.3.4"; "[2001:db8::1]:443" → "2001:db8::1"; a bare IPv6 address is kept whole. */
function stripPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1]!;
  const ipv4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  return ipv4WithPort ? ipv4WithPort[1]! : entry;
}

function normalise(address: string): string | undefined {
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return undefined;
  const groups = expandIPv6(address.toLowerCase().replace(/%.*$/, ''));
  // IPv4-mapped (::ffff:a.b.c.d): the same client as a.b.c.d.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [high, low] = [groups[6]!, groups[7]!];
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::`;
}

/** The eight 16-bit groups of a valid IPv6 address (with "::" and a dotted IPv4 tail expanded). */
function expandIPv6(address: string): number[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}
