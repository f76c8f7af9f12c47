// Sign-up's cost controls, in the order they run:
//   1. the same sign-up again (refresh, retry after success) answers as before: nothing is counted or ordered,
//      and an expired signature does not matter (the number is already the user's);
//   2. only a number a search of this app offered (signed, unexpired, local) can be ordered;
//   3. the invitation code, when the operator set SIGNUP_CODE;
//   4. the quotas, taken before anything is ordered: per client address per hour, per UTC day for the whole
//      app, and users in total. Any refusal (or storage failure) stops the sign-up: they fail closed.
// A sign-up that then fails, or turns out to be a repeat, gives its slots back.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiErrorCode, SessionResponse, SignUpRequest } from '../api-types';
import { AppError, isAppError } from '../errors';
import { isLocalNumber, requireE164 } from '../users/phone-number';
import type { NumberOffers } from './number-offers';
import { refusal } from './refusal';
import type { LimitSettings } from './limit-settings';
import { DAY_MS, HOUR_MS, type TakenSlot, type WindowCounters, type WindowLimit } from './window-counters';

export type SignUpResult = { created: boolean; session: SessionResponse };

export interface SignUpGuardDeps {
  counters: WindowCounters;
  offers: NumberOffers;
  settings: LimitSettings;
  signUp(request: SignUpRequest): Promise<SignUpResult>;
  userExists(username: string): Promise<boolean>;
}

export async function guardedSignUp(
  deps: SignUpGuardDeps,
  request: SignUpRequest,
  clientAddress: string,
): Promise<SignUpResult> {
  const body = (request ?? {}) as Partial<SignUpRequest>;
  if (await isExistingUser(deps, body.username)) return deps.signUp(request); // same user, or username-taken

  const number = requireE164(body.number);
  deps.offers.require(number, typeof body.signature === 'string' ? body.signature.trim() : undefined);
  if (!isLocalNumber(number)) {
    // Signatures only go to local numbers; this holds even if a provider ever listed another kind.
    throw new AppError('number-not-offered', 'Only local numbers can be ordered. Choose another number.', 'number');
  }
  checkSignupCode(deps.settings.signupCode, body.signupCode);

  const slots = await takeQuotas(deps, clientAddress);
  try {
    const result = await deps.signUp(request);
    if (!result.created) await giveBack(slots); // a concurrent twin of this request did the ordering
    return result;
  } catch (error) {
    await giveBack(slots);
    throw error;
  }
}

/** True when the username already belongs to a user: then the core answers without ordering anything. */
async function isExistingUser(deps: SignUpGuardDeps, username: unknown): Promise<boolean> {
  if (typeof username !== 'string') return false; // the core's own validation names the problem
  try {
    return await deps.userExists(username);
  } catch (error) {
    if (isAppError(error) && error.code === 'invalid-username') return false; // named by the core, as above
    throw error;
  }
}

function checkSignupCode(expected: string, given: unknown): void {
  if (!expected) return;
  if (typeof given !== 'string' || given.trim() === '') {
    throw new AppError('signup-code-required', 'Sign-up needs an invitation code.', 'signupCode');
  }
  // Hashes first: equal lengths for timingSafeEqual, and no timing hint about the code's length either.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  if (!timingSafeEqual(digest(given.trim()), digest(expected))) {
    throw new AppError('signup-code-invalid', 'That invitation code is not valid.', 'signupCode');
  }
}

async function takeQuotas(deps: SignUpGuardDeps, clientAddress: string): Promise<TakenSlot[]> {
  const { settings } = deps;
  const quotas: Array<[WindowLimit, ApiErrorCode, string]> = [
    [
      { kind: 'signupAddress', subject: clientAddress, limit: settings.signupsPerAddressPerHour, windowMs: HOUR_MS },
      'too-many-signups',
      'Too many sign-ups from your network.',
    ],
    [
      { kind: 'signupDay', subject: 'app', limit: settings.signupsPerDay, windowMs: DAY_MS },
      'signups-paused',
      'Sign-ups are paused for today.',
    ],
    [
      { kind: 'users', subject: 'app', limit: settings.maxUsers },
      'user-limit-reached',
      'This service is not taking new users.',
    ],
  ];
  const taken: TakenSlot[] = [];
  try {
    for (const [limit, code, what] of quotas) {
      const result = await deps.counters.take(limit);
      if (!result.ok) throw refusal(code, what, result.retryAfterSeconds);
      taken.push(result.taken);
    }
    return taken;
  } catch (error) {
    await giveBack(taken);
    throw error;
  }
}

async function giveBack(slots: readonly TakenSlot[]): Promise<void> {
  await Promise.all(slots.map((slot) => slot.giveBack()));
}
