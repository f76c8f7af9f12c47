// Parsing what a call is addressed to: E.164 numbers and sip: URIs (docs/contracts/catapult-v1.md §11.1, §12.2).

export interface SipAddress {
  user: string;
  host: string; // lower case
}

export const E164 = /^\+[1-9]\d{6,14}$/;

export function isE164(value: string): boolean {
  return E164.test(value);
}

/** `sip:user@host[:port][;params]` (scheme case-insensitive), or undefined when not a SIP URI. */
export function parseSipUri(value: string): SipAddress | undefined {
  const match = /^sips?:([^@;?]+)@([^;?:>]+)(?::\d+)?(?:[;?].*)?$/i.exec(value.trim());
  if (!match) return undefined;
  let user: string;
  try {
    user = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  return { user, host: match[2]!.toLowerCase() };
}

/** A valid `to`/`transferTo`: an E.164 number or a sip: URI. */
export function isDialTarget(value: unknown): value is string {
  return typeof value === 'string' && (isE164(value) || parseSipUri(value) !== undefined);
}
