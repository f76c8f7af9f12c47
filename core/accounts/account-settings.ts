// The account settings (passkeys): read by core/config.ts with the others, kept here beside the code they steer.
// A passkey is bound to the web origin it was made on, and the dialpad (static website) and the API (Function
// App) are different origins, so the API must be told the dialpad's: that origin is what the browser reports in
// every passkey response, and its host name is the passkeys' "relying party id".

export interface AccountSettings {
  /** Where the dialpad is served (no trailing slash); undefined = passkeys are off. */
  readonly dialpadOrigin?: string;
  /** The relying party id: the dialpad origin's host name. */
  readonly passkeyRpId?: string;
  /** Every account registers a passkey right after sign-up (and a username-only log-in may only do that). */
  readonly requirePasskey: boolean;
}

/** Shaped like config-settings.ts's SettingInfo (not imported: config-settings.ts imports this file). */
interface AccountSettingInfo {
  name: string;
  required: false;
  secret: false;
  default: string;
  description: string;
}

export const ACCOUNT_SETTINGS: readonly AccountSettingInfo[] = [
  {
    name: 'DIALPAD_ORIGIN',
    required: false,
    secret: false,
    default: '',
    description:
      "The dialpad's origin, e.g. https://<storage account>.z13.web.core.windows.net: passkeys are bound to its host name. Empty: passkeys are off.",
  },
  {
    name: 'REQUIRE_PASSKEY',
    required: false,
    secret: false,
    default: 'false',
    description: 'true: every account registers a passkey as part of sign-up (needs DIALPAD_ORIGIN).',
  },
];

type Read = (name: string) => string | undefined;
type Problem = (setting: string, message: string) => void;

export function readAccountSettings(
  read: Read,
  problem: Problem,
  isLoopbackHost: (host: string) => boolean,
): AccountSettings {
  const rawOrigin = read('DIALPAD_ORIGIN') ?? '';
  let dialpadOrigin: string | undefined;
  let passkeyRpId: string | undefined;
  if (rawOrigin !== '') {
    const url = parseUrl(rawOrigin);
    const secure = url?.protocol === 'https:' || (url?.protocol === 'http:' && isLoopbackHost(url.hostname));
    if (!url || !secure) {
      problem('DIALPAD_ORIGIN', 'must be an https:// origin (http:// only for localhost).');
    } else if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
      problem('DIALPAD_ORIGIN', 'must be an origin only: scheme, host and port, without a path.');
    } else if (/^[\d.]+$|^\[/.test(url.hostname)) {
      // WebAuthn refuses IP addresses as relying party ids; locally use http://localhost:<port>.
      problem('DIALPAD_ORIGIN', 'must name a host, not an IP address (passkeys need a domain; use localhost locally).');
    } else {
      dialpadOrigin = url.origin;
      passkeyRpId = url.hostname;
    }
  }
  const rawRequire = (read('REQUIRE_PASSKEY') ?? 'false').toLowerCase();
  if (rawRequire !== 'true' && rawRequire !== 'false') problem('REQUIRE_PASSKEY', 'must be true or false.');
  const requirePasskey = rawRequire === 'true';
  if (requirePasskey && rawOrigin === '') {
    problem('REQUIRE_PASSKEY', 'needs DIALPAD_ORIGIN: passkeys are bound to the dialpad origin.');
  }
  return { dialpadOrigin, passkeyRpId, requirePasskey };
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
