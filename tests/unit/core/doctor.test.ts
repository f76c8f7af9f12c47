// The doctor's judgement of strays against a fake Catapult: a number this app ordered whose sign-up row is gone
// (local storage lost its last writes) is kept while its person may still retry — a released number can never be
// ordered back — and released by the app's own repair once the resume window has passed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { single } from '../../support/list-items';
import { makeApp } from './support/make-app';

const N1 = '+19195551001';

test('a stray number ordered within the resume window is kept for the retry; after it, the app releases it', async () => {
  const { app, catapult, clock } = makeApp();
  const { applicationId } = await app.ensureProviderResources();
  const { id } = await catapult.allocatePhoneNumber({ number: N1, name: 'voice-reference-app:alice', applicationId });
  catapult.numbers.get(id)!.createdTime = new Date(clock.now).toISOString();

  const early = await app.doctor({ repair: false });
  assert.deepEqual(early.problems, []);
  assert.deepEqual(
    early.pendingSignUps.map((p) => [p.username, p.number, p.state]),
    [['alice', N1, 'resumable']],
  );
  await app.runMaintenance();
  assert.equal(catapult.numbers.size, 1, 'kept for the retry');

  // The retry adopts it by its marker instead of ordering another.
  const { created, session } = await app.signUp({ username: 'alice', number: N1 });
  assert.equal(created, true);
  assert.equal(session.user.number, N1);
  assert.equal(catapult.count('allocatePhoneNumber'), 2, 'the stray plus the retry’s one try, which found it ours');
  assert.equal((await app.doctor({ repair: false })).nothingToRepair, true);
});

test('no retry within the window: the number is named and the maintenance releases it', async () => {
  const { app, catapult, clock } = makeApp();
  const { applicationId } = await app.ensureProviderResources();
  const { id } = await catapult.allocatePhoneNumber({ number: N1, name: 'voice-reference-app:bob', applicationId });
  catapult.numbers.get(id)!.createdTime = new Date(clock.now).toISOString();
  clock.now += 11 * 60_000;
  const report = await app.doctor({ repair: false });
  assert.deepEqual(
    report.problems.map((p) => [p.code, p.username, p.fixedBy]),
    [['number-without-user', 'bob', 'app']],
  );
  await app.runMaintenance();
  assert.equal(catapult.numbers.size, 0);
  assert.equal((await app.doctor({ repair: false })).nothingToRepair, true);
});

test('the application deleted at the provider: health names it, the maintenance re-creates it and moves the numbers', async () => {
  const { app, catapult } = makeApp();
  await app.signUp({ username: 'alice', number: N1 });
  const old = await app.ensureProviderResources();
  catapult.applications.delete(old.applicationId!);

  const health = await app.health();
  assert.equal(health.status, 'degraded');
  assert.equal(health.checks.provider.code, 'provider-resources-missing');
  assert.match(health.checks.provider.message!, new RegExp(`the application ${old.applicationId}`));
  const report = await app.doctor({ repair: false });
  assert.deepEqual(
    report.problems.map((p) => p.code),
    ['application-missing'],
  );

  await app.runMaintenance();
  const fresh = await app.ensureProviderResources();
  assert.notEqual(fresh.applicationId, old.applicationId);
  assert.equal(fresh.domainId, old.domainId, 'the domain was not touched');
  assert.equal(single([...catapult.numbers.values()], 'number').applicationId, fresh.applicationId);
  assert.equal(single([...catapult.endpoints.values()], 'endpoint').applicationId, fresh.applicationId);
  assert.equal((await app.health()).status, 'ok');
  assert.equal((await app.doctor({ repair: false })).nothingToRepair, true);
});

test('the domain deleted: re-created with the same name, endpoints re-created with the stored passwords', async () => {
  const { app, catapult } = makeApp();
  const aliceSession = (await app.signUp({ username: 'alice', number: N1 })).session;
  const password = (await app.getSipCredentials(await app.authenticate(`Bearer ${aliceSession.token}`))).password;
  const old = await app.ensureProviderResources();
  catapult.domains.delete(old.domainId!);
  catapult.endpoints.clear();

  assert.deepEqual(
    (await app.doctor({ repair: false })).problems.map((p) => p.code),
    ['domain-missing'],
  );
  await app.runMaintenance();
  const fresh = await app.ensureProviderResources();
  assert.notEqual(fresh.domainId, old.domainId);
  assert.equal(fresh.domainName, old.domainName);
  const endpoint = single([...catapult.endpoints.values()], 'endpoint');
  assert.equal(endpoint.password, password, 'the stored password');
  assert.equal(
    (await app.getSipCredentials(await app.authenticate(`Bearer ${aliceSession.token}`))).password,
    password,
  );
  assert.equal((await app.doctor({ repair: false })).nothingToRepair, true);
});

test('one endpoint deleted and a number detached: named, then repaired by the app', async () => {
  const { app, catapult } = makeApp();
  const aliceSession = (await app.signUp({ username: 'alice', number: N1 })).session;
  await app.signUp({ username: 'bob', number: '+19195551002' });
  const password = (await app.getSipCredentials(await app.authenticate(`Bearer ${aliceSession.token}`))).password;
  const alice = [...catapult.endpoints.values()].find((e) => e.name === 'alice')!;
  catapult.endpoints.delete(alice.id);
  const bobs = [...catapult.numbers.values()].find((n) => n.name === 'voice-reference-app:bob')!;
  bobs.applicationId = '';

  const report = await app.doctor({ repair: false });
  assert.deepEqual(report.problems.map((p) => [p.code, p.username]).sort(), [
    ['endpoint-missing', 'alice'],
    ['number-not-on-application', 'bob'],
  ]);
  await app.runMaintenance();
  const again = [...catapult.endpoints.values()].find((e) => e.name === 'alice')!;
  assert.equal(again.password, password);
  assert.equal(bobs.applicationId, (await app.ensureProviderResources()).applicationId);
  assert.equal((await app.doctor({ repair: false })).nothingToRepair, true);
});

test('a number released at the provider is named; only the doctor re-orders it', async () => {
  const { app, catapult } = makeApp();
  await app.signUp({ username: 'alice', number: N1 });
  const number = single([...catapult.numbers.values()], 'number');
  catapult.numbers.delete(number.id);
  catapult.available.add(N1);
  await app.runMaintenance();
  assert.equal(catapult.numbers.size, 0, 'the app does not re-order by itself');
  const report = await app.doctor({ repair: false });
  assert.deepEqual(
    report.problems.map((p) => [p.code, p.fixedBy]),
    [['number-missing', 'doctor']],
  );
  const repaired = await app.doctor({ repair: true });
  assert.equal(repaired.nothingToRepair, true, JSON.stringify(repaired));
  assert.equal(single([...catapult.numbers.values()], 'number').number, N1);
});
