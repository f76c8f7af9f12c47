// Catapult list paging (docs/contracts/catapult-v1.md §3): `page` (0-based, default 0), `size` (default 25, max 1000;
// 100 for domains) and an RFC 5988 Link header with absolute URLs. rel="next" only when more pages exist.
import type { SandboxRequest, SandboxResponse } from '../context';
import { catapultError } from '../errors';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 1000;
export const MAX_DOMAIN_PAGE_SIZE = 100;

export interface Paging {
  page: number;
  size: number;
}

export function parsePaging(query: URLSearchParams, maxSize: number = MAX_PAGE_SIZE): Paging {
  const page = readInteger(query, 'page', 0, 1_000_000, 0);
  const size = readInteger(query, 'size', 1, maxSize, DEFAULT_PAGE_SIZE);
  return { page, size };
}

/** One page of `items` as a 200 answer with its Link header. */
export function paginate<T>(
  items: readonly T[],
  request: SandboxRequest,
  options: { maxSize?: number } = {},
): SandboxResponse {
  const { page, size } = parsePaging(request.query, options.maxSize);
  const lastPage = Math.max(0, Math.ceil(items.length / size) - 1);
  const links = [`<${pageUrl(request.url, 0, size)}>; rel="first"`];
  if (page > 0) links.push(`<${pageUrl(request.url, Math.min(page - 1, lastPage), size)}>; rel="previous"`);
  if (page < lastPage) links.push(`<${pageUrl(request.url, page + 1, size)}>; rel="next"`);
  links.push(`<${pageUrl(request.url, lastPage, size)}>; rel="last"`);
  return { status: 200, headers: { Link: links.join(', ') }, body: items.slice(page * size, page * size + size) };
}

/** The request's own URL (so filters are kept) with page and size replaced. */
function pageUrl(requestUrl: URL, page: number, size: number): string {
  const url = new URL(requestUrl.href);
  url.searchParams.set('page', String(page));
  url.searchParams.set('size', String(size));
  return url.href;
}

function readInteger(query: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) {
    throw catapultError(400, 'bad-request', 'validation-error', `${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}
