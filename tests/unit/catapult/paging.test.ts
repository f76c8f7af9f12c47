// Link paging (docs/contracts/catapult-v1.md §3): follow rel="next" exactly as given, stop without it, never loop,
// never leave the configured host.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCatapultError } from '../../../core/catapult/catapult-error';
import { createCatapultClient } from '../../../core/catapult/client';
import { BASE_URL, createFakeFetch, json, recordingLogger, testOptions } from './fake-fetch';

const APPS = `${BASE_URL}/users/u-abc123/applications`;

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('Catapult paging', () => {
  it('walks three pages through absolute, single-quoted next links and stops on the last', async () => {
    const pages: Record<string, { items: unknown[]; link?: string }> = {
      '/v1/users/u-abc123/applications?size=2': {
        items: [
          { id: 'a-1', name: 'one' },
          { id: 'a-2', name: 'two' },
        ],
        link: `<${APPS}?page=0&size=2>; rel='first', <${APPS}?page=1&size=2>; rel='next', <${APPS}?page=2&size=2>; rel='last'`,
      },
      '/v1/users/u-abc123/applications?page=1&size=2': {
        items: [
          { id: 'a-3', name: 'three', autoAnswer: 'false' },
          { id: 'a-4', name: 'four' },
        ],
        link: `<${APPS}?page=0&size=2>; rel="first", <${APPS}?page=0&size=2>; rel="previous", <${APPS}?page=2&size=2>; rel="next", <${APPS}?page=2&size=2>; rel="last"`,
      },
      '/v1/users/u-abc123/applications?page=2&size=2': {
        items: [{ id: 'a-5', name: 'five' }],
        link: `<${APPS}?page=0&size=2>; rel="first", <${APPS}?page=1&size=2>; rel="previous", <${APPS}?page=2&size=2>; rel="last"`,
      },
    };
    const fake = createFakeFetch((request) => {
      const page = pages[request.path];
      if (!page) return json(404, { category: 'not-found', code: 'resource-not-found' });
      return json(200, page.items, page.link ? { link: page.link } : {});
    });
    const client = createCatapultClient(testOptions(fake.fetch).options);
    const apps = await collect(client.listApplications({ size: 2 }));
    assert.deepEqual(
      apps.map((a) => [a.id, a.autoAnswer]),
      [
        ['a-1', true],
        ['a-2', true],
        ['a-3', false],
        ['a-4', true],
        ['a-5', true],
      ],
    );
    assert.deepEqual(
      fake.requests.map((r) => r.url),
      [`${APPS}?size=2`, `${APPS}?page=1&size=2`, `${APPS}?page=2&size=2`],
    );
    assert.ok(fake.requests.every((r) => r.method === 'GET'));
  });

  it('fetches lazily: breaking out after the first item reads one page only', async () => {
    const fake = createFakeFetch(() =>
      json(200, [{ id: 'rd-1', name: 'd' }], { link: `<${BASE_URL}/users/u-abc123/domains?page=1>; rel="next"` }),
    );
    const client = createCatapultClient(testOptions(fake.fetch).options);
    for await (const domain of client.listDomains()) {
      assert.equal(domain.id, 'rd-1');
      break;
    }
    assert.equal(fake.requests.length, 1);
  });

  it('stops when next points back at a page already read, and warns', async () => {
    const logger = recordingLogger();
    const fake = createFakeFetch((request) =>
      json(200, [{ id: request.url.endsWith('page=1') ? 'n-2' : 'n-1', number: '+1', nationalNumber: '1' }], {
        link: request.url.endsWith('page=1')
          ? `<${BASE_URL}/users/u-abc123/phoneNumbers>; rel="next"`
          : `<${BASE_URL}/users/u-abc123/phoneNumbers?page=1>; rel="next"`,
      }),
    );
    const client = createCatapultClient(testOptions(fake.fetch, { logger }).options);
    const numbers = await collect(client.listPhoneNumbers());
    assert.deepEqual(
      numbers.map((n) => n.id),
      ['n-1', 'n-2'],
    );
    assert.equal(fake.requests.length, 2);
    assert.ok(logger.entries.some((e) => e.level === 'warn' && e.message === 'catapult paging loop stopped'));
  });

  it('refuses a next link to another host, which would receive our credentials', async () => {
    const fake = createFakeFetch(() =>
      json(200, [{ id: 'rd-1', name: 'd' }], {
        link: '<https://evil.test/v1/users/u-abc123/domains?page=1>; rel="next"',
      }),
    );
    const client = createCatapultClient(testOptions(fake.fetch).options);
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const domain of client.listDomains()) seen.push(domain.id);
      })(),
      (error) => isCatapultError(error) && error.code === 'foreign-next-link' && error.category === 'invalid-response',
    );
    assert.deepEqual(seen, ['rd-1']);
    assert.equal(fake.requests.length, 1);
  });

  it('fails clearly when a page is not a JSON array', async () => {
    const fake = createFakeFetch(() => json(200, { id: 'not-a-list' }));
    const client = createCatapultClient(testOptions(fake.fetch).options);
    await assert.rejects(
      collect(client.listEndpoints('rd-1')),
      (error) => isCatapultError(error) && error.code === 'invalid-json' && error.status === 200,
    );
  });

  it('surfaces a Catapult error on a later page', async () => {
    const fake = createFakeFetch((request) =>
      request.url.includes('page=1')
        ? json(404, { category: 'not-found', code: 'resource-not-found', message: 'gone' })
        : json(200, [{ id: 'rd-1', name: 'd' }], { link: `<${BASE_URL}/users/u-abc123/domains?page=1>; rel="next"` }),
    );
    const client = createCatapultClient(testOptions(fake.fetch).options);
    await assert.rejects(
      collect(client.listDomains()),
      (error) => isCatapultError(error) && error.status === 404 && error.code === 'resource-not-found',
    );
  });
});
