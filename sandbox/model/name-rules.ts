// Naming rules for SIP domains and endpoints (docs/contracts/catapult-v1.md §8, §9), kept pure for unit tests.

/** [undocumented] An RFC 1035 label in lower case: it becomes `<name>.bwapp.bwsip.io` in public DNS. */
export const DOMAIN_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function domainNameProblem(name: string): string | undefined {
  if (name !== name.toLowerCase() && DOMAIN_NAME.test(name.toLowerCase())) {
    return 'The domain name must be in lower case';
  }
  if (!DOMAIN_NAME.test(name)) {
    return 'The domain name must be a DNS label: 1-63 of a-z, 0-9 and -, not starting or ending with -';
  }
  return undefined;
}

/** RFC 3261 §25.1 `user`: unreserved, escaped and user-unreserved characters. */
const SIP_USER = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2})+$/;
export const MAX_ENDPOINT_NAME_LENGTH = 128;

export function endpointNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_ENDPOINT_NAME_LENGTH) {
    return `The endpoint name must be 1-${MAX_ENDPOINT_NAME_LENGTH} characters`;
  }
  if (!SIP_USER.test(name)) return 'The endpoint name must be a valid SIP user part (RFC 3261)';
  return undefined;
}

export const MIN_PASSWORD_LENGTH = 6;
export const MAX_PASSWORD_LENGTH = 128;

/** At least 6 characters, printable Latin-1 only (docs/contracts/catapult-v1.md §9). */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `The password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `The password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  for (const char of password) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code > 0xff)
      return 'The password may only contain printable Latin-1 characters';
  }
  return undefined;
}
