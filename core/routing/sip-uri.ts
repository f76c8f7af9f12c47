// SIP addresses arrive as "sip:alice@d.bwapp.bwsip.io", "SIP:Alice@D…;transport=ws", "<sip:…>",
// "\"Alice\" <sip:alice@host:5060>" or bare "alice@host" (docs/contracts/catapult-v1.md §12.2). Compare them only
// normalised: scheme sip:, lower case, no display name, port, parameters or headers.

export interface SipAddress {
  uri: string; // sip:user@host
  user: string;
  host: string;
}

export function looksLikeSip(value: string): boolean {
  return /^\s*("[^"]*"\s*)?<?\s*sips?:/i.test(value) || /^[^@\s]+@[^@\s]+$/.test(value.trim());
}

export function normalizeSipUri(value: string | undefined): SipAddress | undefined {
  if (!value) return undefined;
  let text = value.trim();
  const bracketed = /<([^>]*)>/.exec(text)?.[1];
  if (bracketed !== undefined) text = bracketed.trim();
  text = text.replace(/^sips?:/i, '').replace(/[;?].*$/s, '');
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return undefined;
  const user = decodeSafely(text.slice(0, at)).toLowerCase();
  const host = text
    .slice(at + 1)
    .replace(/:\d+$/, '')
    .toLowerCase();
  if (!user || !/^[a-z0-9.-]+$/.test(host)) return undefined;
  return { uri: `sip:${user}@${host}`, user, host };
}

function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
