// Passkey challenges: random, bound to what they were issued for, expiring, and used at most once.
//
// A challenge is 6 bytes of expiry time (ms, big-endian) ‖ 16 random bytes ‖ the first 16 bytes of an HMAC over
// those and its binding (purpose, username, session id). Issuing one writes nothing, so an anonymous request for
// log-in options costs no storage. Using one creates a row keyed by the challenge in the Challenges table; a
// second use finds the row and fails, on any instance: that row is what makes a challenge single-use. Row keys
// are the challenge in hex, which sorts by expiry, so the sweep reads the oldest rows first and stops early.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { isStorageConflict, type EntityTable } from '../storage/entity-table';

export type ChallengePurpose = 'register' | 'login' | 'step-up';

export interface ChallengeBinding {
  purpose: ChallengePurpose;
  /** The account a registration or step-up is for; log-in challenges are bound to no account. */
  username?: string;
  /** The session a registration or step-up happens in. */
  sessionId?: string;
}

export const CHALLENGE_TTL_MS = 5 * 60_000;
const EXPIRY_BYTES = 6;
const RANDOM_BYTES = 16;
const TAG_BYTES = 16;
const CHALLENGE_BYTES = EXPIRY_BYTES + RANDOM_BYTES + TAG_BYTES;
const PARTITION = 'used';
const SWEEP_INTERVAL_MS = 60_000;
const SWEEP_BATCH = 100;

export interface ChallengeBookOptions {
  key: Buffer;
  table: EntityTable;
  now: () => number;
  logger: Logger;
}

export class ChallengeBook {
  private lastSweep = 0;

  constructor(private readonly options: ChallengeBookOptions) {}

  /** A fresh challenge (base64url, as WebAuthn options carry it). */
  issue(binding: ChallengeBinding): string {
    const head = Buffer.alloc(EXPIRY_BYTES + RANDOM_BYTES);
    head.writeUIntBE(this.options.now() + CHALLENGE_TTL_MS, 0, EXPIRY_BYTES);
    randomBytes(RANDOM_BYTES).copy(head, EXPIRY_BYTES);
    return Buffer.concat([head, this.tag(head, binding)]).toString('base64url');
  }

  /** True when `challenge` is one of ours, for this binding, and not expired (it may still have been used). */
  isValid(challenge: string, binding: ChallengeBinding): boolean {
    return this.decode(challenge, binding) !== undefined;
  }

  /**
   * Marks the challenge used; throws AppError('passkey-challenge-invalid') when it is not ours, not for this
   * binding, expired, or already used. Call it after the passkey response verified and before acting on it.
   */
  async consume(challenge: string, binding: ChallengeBinding): Promise<void> {
    const decoded = this.decode(challenge, binding);
    if (!decoded) throw invalid('This passkey request expired. Try again.');
    try {
      await this.options.table.create({
        partitionKey: PARTITION,
        rowKey: decoded.bytes.toString('hex'),
        purpose: binding.purpose,
        expiresAt: decoded.expiresAt,
      });
    } catch (error) {
      if (isStorageConflict(error, 'exists')) throw invalid('This passkey request was already used. Try again.');
      throw error;
    }
    this.sweepSoon();
  }

  /** Deletes used-challenge rows that have expired (oldest first); returns how many. */
  async sweep(): Promise<number> {
    const rows = await this.options.table.list<{ expiresAt: number }>(PARTITION, { limit: SWEEP_BATCH });
    let deleted = 0;
    for (const row of rows) {
      if (row.expiresAt > this.options.now()) break; // keys sort by expiry: the rest are live
      if (await this.options.table.delete(PARTITION, row.rowKey, row.etag)) deleted += 1;
    }
    return deleted;
  }

  private sweepSoon(): void {
    if (this.options.now() - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = this.options.now();
    this.sweep().catch((error: unknown) =>
      this.options.logger.warn('used-challenge sweep failed', { error: error instanceof Error ? error.name : 'error' }),
    );
  }

  private decode(challenge: string, binding: ChallengeBinding): { bytes: Buffer; expiresAt: number } | undefined {
    const bytes = Buffer.from(challenge, 'base64url');
    // Canonical form only: a string that decodes to the same bytes but is spelled differently is refused.
    if (bytes.length !== CHALLENGE_BYTES || bytes.toString('base64url') !== challenge) return undefined;
    const head = bytes.subarray(0, EXPIRY_BYTES + RANDOM_BYTES);
    if (!timingSafeEqual(bytes.subarray(EXPIRY_BYTES + RANDOM_BYTES), this.tag(head, binding))) return undefined;
    const expiresAt = bytes.readUIntBE(0, EXPIRY_BYTES);
    return expiresAt > this.options.now() ? { bytes, expiresAt } : undefined;
  }

  private tag(head: Buffer, binding: ChallengeBinding): Buffer {
    const context = JSON.stringify([binding.purpose, binding.username ?? '', binding.sessionId ?? '']);
    return createHmac('sha256', this.options.key).update(head).update(context).digest().subarray(0, TAG_BYTES);
  }
}

function invalid(message: string): AppError {
  return new AppError('passkey-challenge-invalid', message);
}
