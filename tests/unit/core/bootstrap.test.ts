import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bootstrapper } from '../../../core/bootstrap/bootstrap';
import { deriveKeys } from '../../../core/crypto/derive-keys';
import { isAppError } from '../../../core/errors';
import { noopLogger } from '../../../core/log';
import { catapultResources, createCatapultSetup } from '../../../core/providers/catapult/setup';
import { BootstrapStore } from '../../../core/storage/bootstrap-store';
import { MemoryEntityTable } from '../../../core/storage/memory-entity-table';
import { single } from '../../support/list-items';
import { FakeCatapult, FakeCatapultError } from './support/fake-catapult';
import { testConfig } from './support/test-config';

const config = testConfig();
const keys = deriveKeys(config.appSecret);

function bootstrapper(
  catapult: FakeCatapult,
  table: MemoryEntityTable,
  overrides: Partial<ConstructorParameters<typeof Bootstrapper>[0]> & { config?: typeof config } = {},
) {
  const { config: appConfig = config, ...options } = overrides;
  const setup = createCatapultSetup({
    client: catapult,
    appName: appConfig.appName,
    domainName: appConfig.catapultDomainName,
    publicBaseUrl: appConfig.publicBaseUrl,
    webhookPassword: appConfig === config ? keys.webhookPassword : deriveKeys(appConfig.appSecret).webhookPassword,
    logger: noopLogger,
  });
  const bootstrap = new Bootstrapper({
    setup,
    store: new BootstrapStore(table),
    logger: noopLogger,
    pollMs: 5,
    waitMs: 2000,
    ...options,
  });
  // Catapult's typed view of the resources the generic bootstrapper hands back.
  return { ensure: async () => catapultResources(await bootstrap.ensure()) };
}

test('creates one application (autoAnswer, POST, webhook with credentials) and one lowercase domain', async () => {
  const catapult = new FakeCatapult();
  const resources = await bootstrapper(catapult, new MemoryEntityTable()).ensure();
  assert.equal(catapult.applications.size, 1);
  assert.equal(catapult.domains.size, 1);
  const application = catapult.applications.get(resources.applicationId)!;
  assert.match(application.name, /^voice-reference-app-[a-z0-9]{8}$/);
  assert.equal(application.autoAnswer, true);
  assert.equal(application.callbackHttpMethod, 'POST');
  const url = new URL(application.incomingCallUrl!);
  assert.equal(`${url.origin}${url.pathname}`, 'https://app.example.com/api/catapult/events');
  assert.equal(url.username, 'catapult');
  assert.equal(url.password, keys.webhookPassword);
  assert.match(resources.domainName, /^voiceref-[a-z0-9]{8}$/);
  assert.match(resources.domainName, /^[a-z][a-z0-9-]*[a-z0-9]$/);
});

test('reuses stored ids after a restart and caches them in memory', async () => {
  const catapult = new FakeCatapult();
  const table = new MemoryEntityTable();
  const first = await bootstrapper(catapult, table).ensure();
  const restarted = bootstrapper(catapult, table);
  assert.deepEqual(await restarted.ensure(), first);
  const calls = catapult.log.length;
  table.down = true; // cached: no storage needed any more
  assert.deepEqual(await restarted.ensure(), first);
  assert.equal(catapult.log.length, calls);
  assert.equal(catapult.applications.size, 1);
  assert.equal(catapult.domains.size, 1);
});

test('concurrent cold starts on several instances never create two', async () => {
  const catapult = new FakeCatapult();
  const table = new MemoryEntityTable();
  const results = await Promise.all(Array.from({ length: 5 }, () => bootstrapper(catapult, table).ensure()));
  for (const r of results) assert.deepEqual(r, results[0]);
  assert.equal(catapult.count('createApplication'), 1);
  assert.equal(catapult.count('createDomain'), 1);
});

test('a takeover after a crash finds the planned resources by name instead of creating more', async () => {
  const catapult = new FakeCatapult();
  const table = new MemoryEntityTable();
  // The first winner crashes right after creating the application (before recording its id).
  const original = catapult.createApplication.bind(catapult);
  catapult.createApplication = async (input) => {
    await original(input);
    throw new Error('process crashed');
  };
  await assert.rejects(bootstrapper(catapult, table).ensure());
  catapult.createApplication = original;
  const resources = await bootstrapper(catapult, table).ensure();
  assert.equal(catapult.applications.size, 1);
  assert.equal(catapult.domains.size, 1);
  assert.equal(Object.keys(resources).length, 3);
});

test('a stale lease of a crashed instance is taken over', async () => {
  const catapult = new FakeCatapult();
  const table = new MemoryEntityTable();
  await table.create({ partitionKey: 'app', rowKey: 'lease', owner: 'dead-instance', expiresAt: Date.now() - 1 });
  const resources = await bootstrapper(catapult, table).ensure();
  assert.ok(resources.applicationId);
});

test('a loser gives up after the bounded wait when the winner never finishes', async () => {
  const catapult = new FakeCatapult();
  const table = new MemoryEntityTable();
  await table.create({ partitionKey: 'app', rowKey: 'lease', owner: 'slow-instance', expiresAt: Date.now() + 60_000 });
  await assert.rejects(
    bootstrapper(catapult, table, { waitMs: 50 }).ensure(),
    (e) => isAppError(e) && e.code === 'provider-unavailable',
  );
  assert.equal(catapult.count('createApplication'), 0);
});

test('a changed PUBLIC_BASE_URL updates the application URL on the next start', async () => {
  const catapult = new FakeCatapult();
  const table = new MemoryEntityTable();
  const { applicationId } = await bootstrapper(catapult, table).ensure();
  assert.equal(catapult.count('updateApplication'), 0);
  const moved = testConfig({ PUBLIC_BASE_URL: 'https://new.example.com' });
  await bootstrapper(catapult, table, { config: moved }).ensure();
  assert.equal(catapult.count('updateApplication'), 1);
  assert.match(
    catapult.applications.get(applicationId)!.incomingCallUrl!,
    /^https:\/\/catapult:[^@]+@new\.example\.com\/api\/catapult\/events$/,
  );
  await bootstrapper(catapult, table, { config: moved }).ensure();
  assert.equal(catapult.count('updateApplication'), 1);
});

test('a domain-name clash picks another name; Catapult failures map to app errors and are not cached', async () => {
  const catapult = new FakeCatapult();
  const table = new MemoryEntityTable();
  catapult.failNext('createDomain', new FakeCatapultError(409, 'conflict', 'conflict'));
  const resources = await bootstrapper(catapult, table).ensure();
  assert.equal(catapult.count('createDomain'), 2);
  assert.equal(single([...catapult.domains.values()], 'domain').name, resources.domainName);

  const other = new FakeCatapult();
  other.failNext('createApplication', new FakeCatapultError(500, 'internal'));
  const b = bootstrapper(other, new MemoryEntityTable());
  await assert.rejects(b.ensure(), (e) => isAppError(e) && e.code === 'provider-unavailable');
  assert.ok((await b.ensure()).applicationId);
  assert.equal(other.applications.size, 1);
});

test('an application deleted in Catapult is replaced on the next start', async () => {
  const catapult = new FakeCatapult();
  const table = new MemoryEntityTable();
  const first = await bootstrapper(catapult, table).ensure();
  catapult.applications.delete(first.applicationId);
  const moved = testConfig({ PUBLIC_BASE_URL: 'https://moved.example.com' }); // forces the URL sync that finds it gone
  const second = await bootstrapper(catapult, table, { config: moved }).ensure();
  assert.notEqual(second.applicationId, first.applicationId);
  assert.equal(second.domainId, first.domainId);
  assert.equal(catapult.applications.size, 1);
  assert.match(catapult.applications.get(second.applicationId)!.incomingCallUrl!, /moved\.example\.com/);
});

test('a set-up row lost with local storage: the application carrying our webhook password is adopted, with its domain', async () => {
  const catapult = new FakeCatapult();
  const first = await bootstrapper(catapult, new MemoryEntityTable()).ensure();
  // Azurite killed before it saved: empty tables, and the app now runs on another port.
  const moved = testConfig({ PUBLIC_BASE_URL: 'http://127.0.0.1:7999' });
  const again = await bootstrapper(catapult, new MemoryEntityTable(), { config: moved }).ensure();
  assert.equal(again.applicationId, first.applicationId);
  assert.equal(again.domainId, first.domainId);
  assert.equal(catapult.applications.size, 1, 'no second application');
  assert.equal(catapult.domains.size, 1, 'no second domain');
  assert.match(catapult.applications.get(again.applicationId)!.incomingCallUrl!, /127\.0\.0\.1:7999/);
});

test('an application of another app secret is never adopted', async () => {
  const catapult = new FakeCatapult();
  await bootstrapper(catapult, new MemoryEntityTable()).ensure();
  const other = testConfig({ APP_SECRET: 'another-secret-of-at-least-32-characters-000' });
  await bootstrapper(catapult, new MemoryEntityTable(), { config: other }).ensure();
  assert.equal(catapult.applications.size, 2);
});
