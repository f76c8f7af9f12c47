// Errors of the Bandwidth side, in the shape each API answers with: the Numbers API in XML
// (`<…Response><ResponseStatus><ErrorCode/><Description/>`), the Voice API in JSON (`{type, description, id}`),
// the OAuth endpoint in RFC 6749 JSON (`{error, error_description}`) (docs/contracts/bandwidth-v2.md §1.1, §2.3, §7).
import { xmlDocument } from './xml';

export type ApiKind = 'numbers' | 'voice' | 'oauth' | 'control';

export class BandwidthHttpError extends Error {
  constructor(
    readonly status: number,
    /** A string is sent as XML; an object as JSON. */
    readonly body: string | Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
    this.name = 'BandwidthHttpError';
  }
}

/** A Numbers API error: `<wrapper><ResponseStatus><ErrorCode>…</ErrorCode><Description>…</Description>…`. */
export function numbersError(
  status: number,
  wrapper: string,
  errorCode: number | string,
  description: string,
): BandwidthHttpError {
  return new BandwidthHttpError(
    status,
    xmlDocument([
      wrapper,
      [
        [
          'ResponseStatus',
          [
            ['ErrorCode', String(errorCode)],
            ['Description', description],
          ],
        ],
      ],
    ]),
  );
}

/** An availableNumbers error, which uses `<SearchResult><Error><Code/><Description/>` instead. */
export function searchError(code: number, description: string): BandwidthHttpError {
  return new BandwidthHttpError(
    400,
    xmlDocument([
      'SearchResult',
      [
        [
          'Error',
          [
            ['Code', String(code)],
            ['Description', description],
          ],
        ],
      ],
    ]),
  );
}

export function voiceError(status: number, type: string, description: string): BandwidthHttpError {
  return new BandwidthHttpError(status, { type, description, id: null });
}

/** A Voice API 429: `type` "error" and the reason, as the rate-limit docs show, with Retry-After as bandwidth.yml. */
export function voiceRateLimit(description: string): BandwidthHttpError {
  return new BandwidthHttpError(429, { type: 'error', description, id: null }, { 'Retry-After': '1' });
}

/**
 * A Numbers API 429: no body, `X-RateLimit-Reset` = when to try again, epoch SECONDS (the Numbers rate-limit page).
 */
export function numbersRateLimit(now: number): BandwidthHttpError {
  return new BandwidthHttpError(429, '', { 'X-RateLimit-Reset': String(Math.ceil(now / 1000) + 1) });
}

export function controlError(status: number, code: string, message: string): BandwidthHttpError {
  return new BandwidthHttpError(status, { code, message });
}

/** The generic error of `kind` for routing and auth failures (no route, wrong method, bad token, crash). */
export function genericError(kind: ApiKind, status: number, description: string): BandwidthHttpError {
  switch (kind) {
    case 'numbers':
      return numbersError(status, 'ErrorResponse', status, description);
    case 'voice':
      return voiceError(status, VOICE_TYPES[status] ?? 'error', description);
    case 'oauth':
      // RFC 6749 §5.2 names client errors only; a server-side failure borrows server_error from §4.1.2.1.
      return new BandwidthHttpError(status, {
        error: status === 401 ? 'invalid_client' : status >= 500 ? 'server_error' : 'invalid_request',
        error_description: description,
      });
    case 'control':
      return controlError(status, CONTROL_CODES[status] ?? 'error', description);
  }
}

// The `type` values the Voice API's error docs show per status.
const VOICE_TYPES: Record<number, string> = {
  400: 'validation',
  401: 'authentication-error',
  403: 'authorization-error',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  415: 'unsupported-media-type',
  429: 'error',
  500: 'internal-server-error',
};

const CONTROL_CODES: Record<number, string> = {
  400: 'validation-error',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  500: 'internal-server-error',
};
