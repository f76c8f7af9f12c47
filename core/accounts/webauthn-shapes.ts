// Shape checks of the passkey responses a client posts, before anything reads storage or parses CBOR: the
// fields the WebAuthn JSON encoding defines, as base64url strings of bounded length.
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from './webauthn';

/** Generous bounds: real responses are a few hundred bytes (attestation "none"); the body limit is 16 KiB. */
const MAX_FIELD = 8192;
const MAX_ID = 1400; // credential ids are at most 1023 bytes

function isBase64url(value: unknown, max = MAX_FIELD): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max && /^[A-Za-z0-9_-]+$/.test(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasCredentialFields(value: Record<string, unknown>): boolean {
  return (
    isBase64url(value.id, MAX_ID) &&
    value.rawId === value.id &&
    value.type === 'public-key' &&
    isObject(value.clientExtensionResults ?? {}) &&
    isObject(value.response)
  );
}

export function isRegistrationResponse(value: unknown): value is RegistrationResponseJSON {
  if (!isObject(value) || !hasCredentialFields(value)) return false;
  const response = value.response as Record<string, unknown>;
  const transports = response.transports ?? [];
  return (
    isBase64url(response.clientDataJSON) &&
    isBase64url(response.attestationObject) &&
    Array.isArray(transports) &&
    transports.length <= 8 &&
    transports.every((t) => typeof t === 'string' && /^[a-z-]{1,20}$/.test(t))
  );
}

export function isAuthenticationResponse(value: unknown): value is AuthenticationResponseJSON {
  if (!isObject(value) || !hasCredentialFields(value)) return false;
  const response = value.response as Record<string, unknown>;
  return (
    isBase64url(response.clientDataJSON) &&
    isBase64url(response.authenticatorData) &&
    isBase64url(response.signature) &&
    (response.userHandle === undefined || response.userHandle === null || isBase64url(response.userHandle, 128))
  );
}
