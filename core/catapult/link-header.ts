// RFC 5988 `Link` parsing for Catapult paging (docs/contracts/catapult-v1.md §3): absolute URLs, rel values
// first/previous/ next/last, quoted with double quotes in the docs and single quotes in node-bandwidth's fixtures.

/** The `rel="next"` target of a Link header, resolved against the page it came from; undefined when absent. */
export function nextLinkUrl(linkHeader: string | null | undefined, currentUrl: string): string | undefined {
  if (!linkHeader) return undefined;
  const linkPattern = /<([^>]*)>([^<]*)/g;
  for (const match of linkHeader.matchAll(linkPattern)) {
    const target = match[1] ?? '';
    const params = match[2] ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;,]+))/i.exec(params);
    const relValues = (rel?.[1] ?? rel?.[2] ?? rel?.[3] ?? '').toLowerCase().split(/\s+/);
    if (relValues.includes('next')) {
      try {
        // Followed exactly as given when absolute (the documented form); a relative one is resolved.
        return new URL(target.trim(), currentUrl).toString();
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
