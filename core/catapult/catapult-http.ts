// What every resource group needs on top of the transport: URLs, reading JSON answers and create ids.
import { CatapultError } from './catapult-error';
import { idFromLocation } from './location-id';
import type { CatapultResponse, Transport } from './transport';

export interface CatapultHttp {
  transport: Transport;
  /**
   * `{baseUrl}/users/{userId}{path}` — everything but available numbers is user-scoped
   * (docs/contracts/catapult-v1.md §1).
   */
  userUrl(path: string): string;
  /** `{baseUrl}{path}` — for the account-less `/availableNumbers`. */
  rootUrl(path: string): string;
  /** Origin requests may go to; paging refuses `next` links elsewhere (they would carry our credentials). */
  origin: string;
}

export function createCatapultHttp(transport: Transport, baseUrl: string, userId: string): CatapultHttp {
  const root = baseUrl.replace(/\/+$/, '');
  const userRoot = `${root}/users/${encodeURIComponent(userId)}`;
  return {
    transport,
    userUrl: (path) => `${userRoot}${path}`,
    rootUrl: (path) => `${root}${path}`,
    origin: new URL(root).origin,
  };
}

export function invalidResponse(
  response: CatapultResponse,
  method: string,
  code: string,
  message: string,
): CatapultError {
  return new CatapultError({
    status: response.status,
    category: 'invalid-response',
    code,
    message: `${method} ${response.path}: ${message}`,
    method,
    path: response.path,
  });
}

function parseJson(response: CatapultResponse, method: string): unknown {
  try {
    return JSON.parse(response.text);
  } catch {
    throw invalidResponse(response, method, 'invalid-json', 'the answer is not JSON');
  }
}

export function readObject(response: CatapultResponse, method: string): Record<string, unknown> {
  const value = parseJson(response, method);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidResponse(response, method, 'invalid-json', 'expected a JSON object');
  }
  return value as Record<string, unknown>;
}

export function readArray(response: CatapultResponse, method: string): unknown[] {
  const value = parseJson(response, method);
  if (!Array.isArray(value)) throw invalidResponse(response, method, 'invalid-json', 'expected a JSON array');
  return value;
}

/** The new resource's id: the last path segment of `Location` (docs/contracts/catapult-v1.md §1). */
export function createdId(response: CatapultResponse, method: string): { id: string } {
  const id = idFromLocation(response.headers.get('location'));
  if (!id)
    throw invalidResponse(response, method, 'missing-location', 'the create answer has no usable Location header');
  return { id };
}
