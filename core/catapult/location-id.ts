// Catapult returns a created resource's URL in `Location` (relative `/v1/users/u-1/calls/c-1` in most
// doc examples, absolute `https://api.catapult.inetwork.com/v1/...` in others). Every official SDK takes
// the id as the last path segment, so we do the same and accept both forms (docs/contracts/catapult-v1.md §1).

/** The last non-empty path segment of a Location value, or undefined when there is none. */
export function idFromLocation(location: string | null | undefined): string | undefined {
  if (!location || !location.trim()) return undefined;
  let pathname: string;
  try {
    // A throwaway base resolves relative values; an absolute value ignores it.
    pathname = new URL(location.trim(), 'http://location.invalid/').pathname;
  } catch {
    return undefined;
  }
  const segments = pathname.split('/').filter((segment) => segment !== '');
  const last = segments.at(-1);
  if (last === undefined) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
