// Catapult list endpoints as an AsyncIterable that fetches one page at a time and follows the `Link`
// header's rel="next" URL exactly as given, stopping when there is none (docs/contracts/catapult-v1.md §3).
import { CatapultError } from './catapult-error';
import type { CatapultHttp } from './catapult-http';
import { readArray } from './catapult-http';
import { nextLinkUrl } from './link-header';
import type { Logger } from '../log';

export function paginate<T>(
  http: CatapultHttp,
  firstUrl: string,
  toItem: (raw: unknown) => T,
  logger: Logger,
): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      const visited = new Set<string>();
      let url: string | undefined = firstUrl;
      while (url !== undefined) {
        visited.add(url);
        const response = await http.transport.send({ method: 'GET', url, repeatable: true });
        for (const raw of readArray(response, 'GET')) yield toItem(raw);
        const next = nextLinkUrl(response.headers.get('link'), url);
        if (next === undefined) return;
        if (new URL(next).origin !== http.origin) {
          // Following it would send our Basic credentials to a host we were not configured for.
          throw new CatapultError({
            status: response.status,
            category: 'invalid-response',
            code: 'foreign-next-link',
            message: `GET ${response.path}: the next page link points to another host`,
            method: 'GET',
            path: response.path,
          });
        }
        if (visited.has(next)) {
          // A page we already read: everything has been yielded once, so stop instead of looping forever.
          logger.warn('catapult paging loop stopped', { path: response.path });
          return;
        }
        url = next;
      }
    },
  };
}
