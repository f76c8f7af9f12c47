// The one error type every failed Catapult request throws. Unlike node-bandwidth, which keeps only
// the message and status, it keeps Catapult's category, code and details (docs/contracts/catapult-v1.md §2, §17) so
// callers can act on `code` (e.g. "number-not-found", "order-number-quantity-unavailable").
import type { CatapultErrorShape } from './catapult-api';

export interface CatapultErrorInit {
  status: number;
  category: string;
  code: string;
  message: string;
  details?: Array<{ name: string; value: string }>;
  rateLimitResetMs?: number;
  method: string;
  path: string;
  cause?: unknown;
}

export class CatapultError extends Error implements CatapultErrorShape {
  readonly status: number;
  readonly category: string;
  readonly code: string;
  readonly details: Array<{ name: string; value: string }>;
  readonly rateLimitResetMs?: number;
  readonly method: string;
  readonly path: string;

  constructor(init: CatapultErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'CatapultError';
    this.status = init.status;
    this.category = init.category;
    this.code = init.code;
    this.details = init.details ?? [];
    this.rateLimitResetMs = init.rateLimitResetMs;
    this.method = init.method;
    this.path = init.path;
  }
}

export function isCatapultError(error: unknown): error is CatapultError {
  return error instanceof CatapultError;
}

/**
 * The category a status stands for when the body does not say (Catapult's error table,
 * docs/contracts/catapult-v1.md §2). Deviation: errors.md maps 500 to PAYMENT, but a 5xx without a Catapult JSON body
 * comes from a proxy or an outage, not from billing, so every bodiless 5xx is "unavailable". A real payment error
 * carries its own JSON category, which always wins.
 */
export function categoryForStatus(status: number): string {
  if (status === 400) return 'bad-request';
  if (status === 401) return 'authorization';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'too-many-requests';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return 'bad-request';
  return 'unknown';
}

export interface ErrorResponseContext {
  status: number;
  statusText: string;
  contentType: string | null;
  rateLimitReset: string | null;
  bodyText: string;
  method: string;
  path: string;
}

function parseDetails(value: unknown): Array<{ name: string; value: string }> {
  if (!Array.isArray(value)) return [];
  return value
    .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
    .map((item) => ({ name: scalarText(item.name), value: scalarText(item.value) }));
}

/** A detail's name or value as text; anything that is not a scalar (never seen in Catapult's errors) is dropped. */
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function parseEpochMs(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  // X-RateLimit-Reset is epoch milliseconds (docs/contracts/catapult-v1.md §4); a details value may also be an ISO
  // time.
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Date.parse(value.trim());
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the error for a non-2xx answer; a body that is not Catapult's JSON still gives a useful error. */
export function catapultErrorFromResponse(context: ErrorResponseContext): CatapultError {
  const body = parseJsonObject(context.bodyText);
  const details = parseDetails(body?.details);
  const resetFromDetails = details.find((detail) => detail.name === 'rateLimitResetTime')?.value ?? null;
  const bodyCategory = typeof body?.category === 'string' && body.category ? body.category : undefined;
  const bodyCode = typeof body?.code === 'string' && body.code ? body.code : undefined;
  const bodyMessage = typeof body?.message === 'string' && body.message ? body.message : undefined;
  const described = [context.status, context.statusText].filter(Boolean).join(' ');
  const kind = body ? '' : ` (${context.contentType ?? 'no content type'})`;
  return new CatapultError({
    status: context.status,
    category: bodyCategory ?? categoryForStatus(context.status),
    code: bodyCode ?? 'unknown',
    message:
      bodyMessage ??
      `Catapult answered ${described}${kind} to ${context.method} ${context.path}${bodyCode ? `: ${bodyCode}` : ''}`,
    details,
    rateLimitResetMs:
      context.status === 429 ? (parseEpochMs(context.rateLimitReset) ?? parseEpochMs(resetFromDetails)) : undefined,
    method: context.method,
    path: context.path,
  });
}
