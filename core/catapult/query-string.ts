// Query strings for Catapult. URLSearchParams leaves `*` unescaped and writes spaces as `+`; the
// available-number docs ask for `?` and `*` in `pattern` to be percent-encoded (docs/contracts/catapult-v1.md §5.1), so
// we encode every reserved character ourselves (RFC 3986 unreserved characters stay as they are).

export type QueryValue = string | number | boolean | undefined;

function encodeComponent(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `?a=1&b=2` in the given key order, skipping undefined values; '' when nothing is left. */
export function buildQuery(entries: Array<[string, QueryValue]>): string {
  const parts = entries
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeComponent(key)}=${encodeComponent(String(value))}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/** A path segment: ids pass through, E.164 numbers get `+` as `%2B` (docs/contracts/catapult-v1.md §1, §6). */
export function pathSegment(value: string): string {
  return encodeComponent(value);
}
