// Numbers the app offered: each search result carries a short-lived server signature over the number and
// its expiry, and sign-up orders only a number whose signature holds. So nobody orders a number the app
// never offered (a toll-free one, one another provider account would bill for), and a script must search
// (a counted, cached request) before every order. The key is HKDF-derived from APP_SECRET (crypto/derive-keys).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AvailableNumberView, OfferedNumberView } from '../api-types';
import { AppError } from '../errors';

/** 128 bits of HMAC-SHA256 are plenty for a signature that lives minutes. */
const MAC_BYTES = 16;
/** Versioned, so a later format never verifies under this one's rules. */
const DOMAIN = 'number-offer/v1';

export type OfferCheck = 'ok' | 'missing' | 'invalid' | 'expired';

export class NumberOffers {
  constructor(
    private readonly key: Buffer,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The search results with a signature each, valid for the configured minutes from now. */
  sign(numbers: readonly AvailableNumberView[]): OfferedNumberView[] {
    const expiresSeconds = Math.floor((this.now() + this.ttlMs) / 1000);
    const signatureExpiresAt = new Date(expiresSeconds * 1000).toISOString();
    return numbers.map((n) => ({
      ...n,
      signature: `${expiresSeconds.toString(36)}.${this.mac(n.number, expiresSeconds).toString('base64url')}`,
      signatureExpiresAt,
    }));
  }

  check(number: string, signature: string | undefined): OfferCheck {
    if (!signature) return 'missing';
    const match = /^([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/.exec(signature);
    if (!match) return 'invalid';
    const expiresSeconds = parseInt(match[1]!, 36);
    const given = Buffer.from(match[2]!, 'base64url');
    const expected = this.mac(number, expiresSeconds);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return expiresSeconds * 1000 <= this.now() ? 'expired' : 'ok';
  }

  /** Throws the AppError a sign-up with this number and signature gets, unless the signature holds. */
  require(number: string, signature: string | undefined): void {
    const check = this.check(number, signature);
    if (check === 'ok') return;
    if (check === 'expired') {
      throw new AppError('number-offer-expired', 'That number was offered too long ago. Search again.', 'number');
    }
    throw new AppError(
      'number-not-offered',
      'Choose a number from the search results: only numbers the app offered can be ordered.',
      'number',
    );
  }

  private mac(number: string, expiresSeconds: number): Buffer {
    return createHmac('sha256', this.key)
      .update(`${DOMAIN}|${number}|${expiresSeconds}`)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}
