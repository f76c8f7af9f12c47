// /v1/users/{userId}/phoneNumbers: allocate, list + filters + paging, get by id or %2B number,
// update (applicationId attach/detach), delete = release (docs/contracts/catapult-v1.md §6).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { basicAuth, CALLBACK, parseLinks, startSandbox, type SandboxHarness } from './resources-harness';

const SECOND = { userId: 'u-second', apiToken: 't-second', apiSecret: 'second-secret' };

describe('phone numbers', () => {
  let h: SandboxHarness;
  let applicationId: string;
  before(async () => {
    h = await startSandbox({ extraAccounts: [SECOND] });
    applicationId = await h.create(`${h.userPath}/applications`, { name: 'numbers app', incomingCallUrl: CALLBACK });
  });
  after(() => h.close());

  const available = async (query: string) =>
    (await h.request('GET', `/v1/availableNumbers/local?${query}`)).json.map(
      (i: { number: string }) => i.number,
    ) as string[];

  it('allocates a searched number: 201, relative Location, documented resource', async () => {
    const [number] = await available('areaCode=303&quantity=1');
    const reply = await h.request('POST', `${h.userPath}/phoneNumbers`, {
      number,
      name: 'main line',
      applicationId,
      fallbackNumber: '+12025550123',
    });
    assert.equal(reply.status, 201);
    assert.equal(reply.text, '');
    const location = reply.headers.get('location')!;
    assert.match(location, new RegExp(`^${h.userPath}/phoneNumbers/n-[a-z0-9]{25}$`));
    const id = location.split('/').pop();
    const got = await h.request('GET', location);
    assert.equal(got.status, 200);
    assert.equal(got.json.id, id);
    assert.equal(got.json.number, number);
    assert.equal(got.json.nationalNumber, `(303) ${number!.slice(5, 8)}-${number!.slice(8)}`);
    assert.equal(got.json.name, 'main line');
    assert.equal(got.json.city, 'DENVER');
    assert.equal(got.json.state, 'CO');
    assert.equal(got.json.applicationId, applicationId);
    assert.equal(got.json.application, `${h.sandbox.baseUrl}${h.userPath}/applications/${applicationId}`);
    assert.equal(got.json.fallbackNumber, '+12025550123');
    assert.equal(got.json.numberState, 'enabled');
    assert.match(got.json.createdTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(got.json.price, /^\d+\.\d\d$/);
    assert.ok(
      !(await available('areaCode=303&quantity=5000')).includes(number!),
      'an allocated number leaves the inventory',
    );
  });

  it('gets, updates and deletes by the %2B-encoded E.164 number', async () => {
    const [number] = await available('areaCode=617&quantity=1');
    await h.create(`${h.userPath}/phoneNumbers`, { number });
    const path = `${h.userPath}/phoneNumbers/${encodeURIComponent(number!)}`;
    assert.ok(path.includes('%2B1617'));
    assert.equal((await h.request('GET', path)).json.number, number);
    assert.equal((await h.request('POST', path, { applicationId })).status, 200);
    assert.equal((await h.request('GET', path)).json.applicationId, applicationId);
    const detach = await h.request('POST', path, { applicationId: '' });
    assert.equal(detach.status, 200);
    assert.equal(detach.text, '');
    const detached = (await h.request('GET', path)).json;
    assert.equal(detached.applicationId, undefined);
    assert.equal(detached.application, undefined);
    assert.equal(h.sandbox.context.directory.findNumber(number!)?.applicationId, undefined);
    const deleted = await h.request('DELETE', path);
    assert.equal(deleted.status, 200);
    assert.equal(deleted.text, '');
    assert.equal((await h.request('GET', path)).json.code, 'number-not-found');
  });

  it('leaves properties out of an update unchanged', async () => {
    const [number] = await available('areaCode=404&quantity=1');
    const id = await h.create(`${h.userPath}/phoneNumbers`, { number, name: 'kept', applicationId });
    assert.equal(
      (await h.request('POST', `${h.userPath}/phoneNumbers/${id}`, { fallbackNumber: '+12025550199' })).status,
      200,
    );
    const got = (await h.request('GET', `${h.userPath}/phoneNumbers/${id}`)).json;
    assert.equal(got.name, 'kept');
    assert.equal(got.applicationId, applicationId);
    assert.equal(got.fallbackNumber, '+12025550199');
  });

  it('refuses an unknown application on allocate and update with 404 application-not-found', async () => {
    const [number] = await available('areaCode=404&quantity=1');
    const refused = await h.request('POST', `${h.userPath}/phoneNumbers`, { number, applicationId: 'a-unknown' });
    assert.equal(refused.status, 404);
    assert.equal(refused.json.code, 'application-not-found');
    assert.ok((await available('areaCode=404&quantity=5000')).includes(number!), 'a refused allocation takes nothing');
    const id = await h.create(`${h.userPath}/phoneNumbers`, { number });
    const update = await h.request('POST', `${h.userPath}/phoneNumbers/${id}`, {
      applicationId: 'a-unknown',
      name: 'new',
    });
    assert.equal(update.status, 404);
    assert.equal(update.json.code, 'application-not-found');
    assert.equal(
      (await h.request('GET', `${h.userPath}/phoneNumbers/${id}`)).json.name,
      undefined,
      'a failed update changes nothing',
    );
  });

  it('refuses bad numbers and bodies with 400 validation-error', async () => {
    for (const body of [
      { number: '9195551212' },
      { number: '+1919555121' },
      { number: '+44207946000' },
      {},
      { number: 19195551212 },
    ]) {
      const reply = await h.request('POST', `${h.userPath}/phoneNumbers`, body);
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.equal(reply.json.code, 'validation-error');
    }
    const [number] = await available('areaCode=404&quantity=1');
    const badFallback = await h.request('POST', `${h.userPath}/phoneNumbers`, { number, fallbackNumber: 'nope' });
    assert.equal(badFallback.status, 400);
    assert.equal(badFallback.json.code, 'validation-error');
  });

  it('answers 409 duplicate-number for an owned number and 404 for one not in the inventory', async () => {
    const [number] = await available('areaCode=718&quantity=1');
    await h.create(`${h.userPath}/phoneNumbers`, { number });
    const duplicate = await h.request('POST', `${h.userPath}/phoneNumbers`, { number });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.json.category, 'conflict');
    assert.equal(duplicate.json.code, 'duplicate-number');
    const outside = await h.request('POST', `${h.userPath}/phoneNumbers`, { number: '+12125550100' });
    assert.equal(outside.status, 404);
    assert.equal(outside.json.code, 'number-not-found');
  });

  it('never gives a released number back', async () => {
    const [number] = await available('areaCode=718&quantity=1');
    const id = await h.create(`${h.userPath}/phoneNumbers`, { number });
    assert.equal((await h.request('DELETE', `${h.userPath}/phoneNumbers/${id}`)).status, 200);
    assert.equal(h.sandbox.context.directory.findNumber(number!), undefined);
    assert.ok(!(await available('areaCode=718&quantity=5000')).includes(number!));
    const again = await h.request('POST', `${h.userPath}/phoneNumbers`, { number });
    assert.equal(again.status, 404);
    assert.equal(again.json.code, 'number-not-found');
    assert.equal((await h.request('DELETE', `${h.userPath}/phoneNumbers/${id}`)).status, 404);
  });

  it('answers 404 number-not-found for unknown ids and numbers', async () => {
    for (const key of ['n-unknown', '%2B19195550100']) {
      const reply = await h.request('GET', `${h.userPath}/phoneNumbers/${key}`);
      assert.equal(reply.status, 404);
      assert.equal(reply.json.category, 'not-found');
      assert.equal(reply.json.code, 'number-not-found');
    }
  });

  it('lists with filters and Link paging', async () => {
    const own = await startSandbox();
    try {
      const app = await own.create(`${own.userPath}/applications`, { name: 'x', incomingCallUrl: CALLBACK });
      const ordered = (await own.request('POST', '/v1/availableNumbers/local?areaCode=650&quantity=5')).json;
      const seattle = (await own.request('POST', '/v1/availableNumbers/local?areaCode=206&quantity=2')).json;
      await own.request('POST', seattle[0].location.replace(own.sandbox.baseUrl, ''), {
        applicationId: app,
        name: 'sea',
      });
      const list = async (query: string) => own.request('GET', `${own.userPath}/phoneNumbers?${query}`);

      assert.equal((await list('')).json.length, 7);
      assert.deepEqual(
        (await list(`applicationId=${app}`)).json.map((n: { number: string }) => n.number),
        [seattle[0].number],
      );
      assert.equal((await list('state=wa')).json.length, 2);
      assert.equal((await list('city=Palo%20Alto')).json.length + (await list('city=San%20Mateo')).json.length, 5);
      assert.equal((await list('name=sea')).json.length, 1);
      assert.equal((await list('numberState=enabled')).json.length, 7);
      assert.equal((await list('numberState=released')).json.length, 0);
      assert.equal((await list('numberState=gone')).status, 400);

      const first = await list('size=3');
      assert.equal(first.json.length, 3);
      const links = parseLinks(first.headers.get('link'));
      assert.ok(links.next?.startsWith(`${own.sandbox.baseUrl}${own.userPath}/phoneNumbers?`), links.next);
      assert.equal(new URL(links.next!).searchParams.get('page'), '1');
      assert.equal(new URL(links.last!).searchParams.get('page'), '2');
      const last = await own.request('GET', links.last!.replace(own.sandbox.baseUrl, ''));
      assert.equal(last.json.length, 1);
      assert.equal(parseLinks(last.headers.get('link')).next, undefined);
      const all = [...first.json, ...(await list('size=3&page=1')).json, ...last.json].map((n: { id: string }) => n.id);
      assert.equal(new Set(all).size, 7);
      assert.ok(ordered.every((o: { location: string }) => all.includes(o.location.split('/').pop()!)));
    } finally {
      await own.close();
    }
  });

  it("refuses another account's number with 401 number-access-denied, and orders into the caller's account", async () => {
    const asSecond = (method: string, path: string, body?: unknown) =>
      h.raw(method, path, {
        headers: { authorization: basicAuth(SECOND.apiToken, SECOND.apiSecret), 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const ordered = (await asSecond('POST', '/v1/availableNumbers/local?areaCode=984&quantity=1')).json[0];
    assert.ok(
      ordered.location.includes(`/users/${SECOND.userId}/phoneNumbers/`),
      "search-and-order goes to the credentials' user",
    );
    assert.equal(h.sandbox.context.directory.findNumber(ordered.number)?.userId, SECOND.userId);
    const mine = await h.create(`${h.userPath}/phoneNumbers`, {
      number: (await available('areaCode=984&quantity=1'))[0],
    });
    for (const key of [mine, encodeURIComponent(ordered.number)]) {
      const path =
        key === mine ? `/v1/users/${SECOND.userId}/phoneNumbers/${mine}` : `${h.userPath}/phoneNumbers/${key}`;
      const reply = key === mine ? await asSecond('GET', path) : await h.request('GET', path);
      assert.equal(reply.status, 401, path);
      assert.equal(reply.json.code, 'number-access-denied');
    }
    const crossUser = await asSecond('GET', `${h.userPath}/phoneNumbers`);
    assert.equal(crossUser.status, 401);
    assert.equal(crossUser.json.code, 'user-access-denied');
    assert.equal(
      (await h.request('GET', `${h.userPath}/phoneNumbers?size=1000`)).json.some(
        (n: { number: string }) => n.number === ordered.number,
      ),
      false,
    );
  });
});
