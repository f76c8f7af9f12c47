// Wire format of every CatapultApi method: exact method, path, query, headers and JSON body
// (docs/contracts/catapult-v1.md §5–§11), and how each answer maps to the typed result.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCatapultClient } from '../../../core/catapult/client';
import { BASIC_AUTH, clientWith, createFakeFetch, created, empty, json, only, testOptions } from './fake-fetch';

const U = '/v1/users/u-abc123';

describe('Catapult client wire format', () => {
  it('searches local numbers on the account-less path with encoded query parameters', async () => {
    const { client, requests } = clientWith(() =>
      json(200, [
        {
          number: '+19195551212',
          nationalNumber: '(919) 555-1212',
          patternMatch: '          2 9 ',
          city: 'CARY',
          lata: '426',
          rateCenter: 'CARY',
          state: 'NC',
          price: '0.60',
        },
        { number: '+19195551213', nationalNumber: '(919) 555-1213', city: 'CARY', state: 'NC', price: '0.60' },
      ]),
    );
    const found = await client.searchLocalNumbers({ areaCode: '919', pattern: '9?5*', quantity: 2 });
    const request = only(requests);
    assert.equal(request.method, 'GET');
    assert.equal(request.path, '/v1/availableNumbers/local?areaCode=919&pattern=9%3F5%2A&quantity=2');
    assert.equal(request.headers.authorization, BASIC_AUTH);
    assert.equal(request.headers.accept, 'application/json');
    assert.equal(request.headers['content-type'], undefined);
    assert.equal(request.bodyText, undefined);
    assert.deepEqual(found, [
      {
        number: '+19195551212',
        nationalNumber: '(919) 555-1212',
        patternMatch: '          2 9 ',
        city: 'CARY',
        lata: '426',
        rateCenter: 'CARY',
        state: 'NC',
        price: '0.60',
      },
      { number: '+19195551213', nationalNumber: '(919) 555-1213', city: 'CARY', state: 'NC', price: '0.60' },
    ]);
  });

  it('searches by city and state, and by zip with a local-calling-area flag', async () => {
    const { client, requests } = clientWith(() => json(200, []));
    await client.searchLocalNumbers({ city: 'Cary', state: 'NC', quantity: 10 });
    await client.searchLocalNumbers({ areaCode: '919', localNumber: '555', inLocalCallingArea: true });
    await client.searchLocalNumbers({ zip: '27511' });
    assert.deepEqual(
      requests.map((r) => r.path),
      [
        '/v1/availableNumbers/local?city=Cary&state=NC&quantity=10',
        '/v1/availableNumbers/local?areaCode=919&localNumber=555&inLocalCallingArea=true',
        '/v1/availableNumbers/local?zip=27511',
      ],
    );
  });

  it('orders numbers with the query in the URL, no body, and ids from each location (200 or 201)', async () => {
    for (const status of [201, 200]) {
      const { client, requests } = clientWith(() =>
        json(status, [
          {
            number: '+19105550100',
            nationalNumber: '(910) 555-0100',
            price: '0.60',
            location: 'https://api.catapult.test/v1/users/u-abc123/phoneNumbers/n-first',
          },
          {
            number: '+19105550101',
            nationalNumber: '(910) 555-0101',
            location: '/v1/users/u-abc123/phoneNumbers/n-second/',
          },
        ]),
      );
      const ordered = await client.orderLocalNumbers({ areaCode: '910', quantity: 2 });
      const request = only(requests);
      assert.equal(request.method, 'POST');
      assert.equal(request.path, '/v1/availableNumbers/local?areaCode=910&quantity=2');
      assert.equal(request.bodyText, undefined);
      assert.equal(request.headers['content-type'], undefined);
      assert.deepEqual(ordered, [
        {
          id: 'n-first',
          number: '+19105550100',
          nationalNumber: '(910) 555-0100',
          price: '0.60',
          location: 'https://api.catapult.test/v1/users/u-abc123/phoneNumbers/n-first',
        },
        {
          id: 'n-second',
          number: '+19105550101',
          nationalNumber: '(910) 555-0101',
          location: '/v1/users/u-abc123/phoneNumbers/n-second/',
        },
      ]);
    }
  });

  it('allocates, reads, updates and deletes a phone number, encoding + as %2B', async () => {
    const { client, requests } = clientWith((request) => {
      if (request.method === 'POST' && request.path === `${U}/phoneNumbers`) return created(`${U}/phoneNumbers/n-new1`);
      if (request.method === 'GET') {
        return json(200, {
          id: 'n-new1',
          number: '+19195551212',
          nationalNumber: '(919) 555-1212',
          name: 'alice',
          application: 'https://api.catapult.test/v1/users/u-abc123/applications/a-app1',
          price: '0.60',
          createdTime: '2013-02-13T17:46:08.374Z',
          numberState: 'enabled',
          city: 'CARY',
          state: 'NC',
        });
      }
      return empty(200);
    });
    assert.deepEqual(await client.allocatePhoneNumber({ number: '+19195551212', applicationId: 'a-app1' }), {
      id: 'n-new1',
    });
    const number = await client.getPhoneNumber('+19195551212');
    await client.updatePhoneNumber('n-new1', { applicationId: 'a-app1', name: 'alice' });
    await client.updatePhoneNumber('+19195551212', { applicationId: '' });
    await client.deletePhoneNumber('n-new1');

    assert.deepEqual(
      requests.map((r) => [r.method, r.path, r.body]),
      [
        ['POST', `${U}/phoneNumbers`, { number: '+19195551212', applicationId: 'a-app1' }],
        ['GET', `${U}/phoneNumbers/%2B19195551212`, undefined],
        ['POST', `${U}/phoneNumbers/n-new1`, { name: 'alice', applicationId: 'a-app1' }],
        ['POST', `${U}/phoneNumbers/%2B19195551212`, { applicationId: '' }],
        ['DELETE', `${U}/phoneNumbers/n-new1`, undefined],
      ],
    );
    assert.equal(requests[0]?.headers['content-type'], 'application/json');
    assert.ok(requests.every((r) => r.headers.authorization === BASIC_AUTH));
    assert.deepEqual(number, {
      id: 'n-new1',
      number: '+19195551212',
      nationalNumber: '(919) 555-1212',
      name: 'alice',
      applicationId: 'a-app1',
      city: 'CARY',
      state: 'NC',
      price: '0.60',
      createdTime: '2013-02-13T17:46:08.374Z',
      numberState: 'enabled',
    });
  });

  it('lists phone numbers with its filters in the query', async () => {
    const { client, requests } = clientWith(() =>
      json(200, [{ id: 'n-1', number: '+19195550001', nationalNumber: '(919) 555-0001', applicationId: 'a-1' }]),
    );
    const numbers = [];
    for await (const number of client.listPhoneNumbers({ applicationId: 'a-1', size: 1000 })) numbers.push(number);
    assert.equal(only(requests).path, `${U}/phoneNumbers?applicationId=a-1&size=1000`);
    assert.deepEqual(numbers, [
      { id: 'n-1', number: '+19195550001', nationalNumber: '(919) 555-0001', applicationId: 'a-1' },
    ]);
  });

  it('creates an application with the exact body of GO catapult_test.go, real booleans included', async () => {
    const { client, requests } = clientWith(() => created(`${U}/applications/a-qjbpfmrr46qf2lklgc72tvy`));
    const result = await client.createApplication({
      name: 'GolangVoiceReferenceApp on localhost',
      incomingCallUrl: 'http://localhost/callCallback',
      callbackHttpMethod: 'POST',
      autoAnswer: true,
    });
    const request = only(requests);
    assert.equal(request.method, 'POST');
    assert.equal(request.path, `${U}/applications`);
    assert.equal(
      request.bodyText,
      '{"name":"GolangVoiceReferenceApp on localhost","incomingCallUrl":"http://localhost/callCallback","callbackHttpMethod":"POST","autoAnswer":true}',
    );
    assert.deepEqual(result, { id: 'a-qjbpfmrr46qf2lklgc72tvy' });
  });

  it('reads, lists, updates and deletes applications, normalising string booleans and methods', async () => {
    const raw = {
      id: 'a-1',
      name: 'app',
      incomingCallUrl: 'https://x.test/cb',
      incomingCallUrlCallbackTimeout: '5000',
      callbackHttpMethod: 'post',
      autoAnswer: 'false',
    };
    const { client, requests } = clientWith((request) => {
      if (request.method !== 'GET') return empty(200);
      return request.path.includes('?') ? json(200, [raw, { id: 'a-2', name: 'bare' }]) : json(200, raw);
    });
    const app = await client.getApplication('a-1');
    const listed = [];
    for await (const item of client.listApplications({ size: 1000 })) listed.push(item);
    await client.updateApplication('a-1', { incomingCallUrl: 'https://y.test/cb', autoAnswer: false });
    await client.deleteApplication('a-1');
    const expected = {
      id: 'a-1',
      name: 'app',
      incomingCallUrl: 'https://x.test/cb',
      incomingCallUrlCallbackTimeout: 5000,
      callbackHttpMethod: 'POST',
      autoAnswer: false,
    };
    assert.deepEqual(app, expected);
    assert.deepEqual(listed, [expected, { id: 'a-2', name: 'bare', autoAnswer: true }]);
    assert.deepEqual(
      requests.map((r) => [r.method, r.path, r.bodyText]),
      [
        ['GET', `${U}/applications/a-1`, undefined],
        ['GET', `${U}/applications?size=1000`, undefined],
        ['POST', `${U}/applications/a-1`, '{"incomingCallUrl":"https://y.test/cb","autoAnswer":false}'],
        ['DELETE', `${U}/applications/a-1`, undefined],
      ],
    );
  });

  it('creates, reads, lists and deletes domains, always sending the description', async () => {
    const { client, requests } = clientWith((request) => {
      if (request.method === 'POST')
        return created(`https://api.catapult.test/v1/users/u-abc123/domains/rd-3kfl2yi4ja6npquwxpnpqji`);
      if (request.method === 'DELETE') return empty(200);
      const domain = {
        id: 'rd-3kfl2yi4ja6npquwxpnpqji',
        name: 'qabcdefghijklmn',
        description: 'Voice app',
        endpoints: '/v1/users/u-abc123/domains/rd-3kfl2yi4ja6npquwxpnpqji/endpoints',
      };
      return json(200, request.path.includes('?') ? [domain] : domain);
    });
    assert.deepEqual(await client.createDomain({ name: 'qabcdefghijklmn', description: 'Voice app' }), {
      id: 'rd-3kfl2yi4ja6npquwxpnpqji',
    });
    const domain = await client.getDomain('rd-3kfl2yi4ja6npquwxpnpqji');
    const listed = [];
    for await (const item of client.listDomains({ size: 100 })) listed.push(item);
    await client.deleteDomain('rd-3kfl2yi4ja6npquwxpnpqji');
    const expected = { id: 'rd-3kfl2yi4ja6npquwxpnpqji', name: 'qabcdefghijklmn', description: 'Voice app' };
    assert.deepEqual(domain, expected);
    assert.deepEqual(listed, [expected]);
    assert.deepEqual(
      requests.map((r) => [r.method, r.path, r.bodyText]),
      [
        ['POST', `${U}/domains`, '{"name":"qabcdefghijklmn","description":"Voice app"}'],
        ['GET', `${U}/domains/rd-3kfl2yi4ja6npquwxpnpqji`, undefined],
        ['GET', `${U}/domains?size=100`, undefined],
        ['DELETE', `${U}/domains/rd-3kfl2yi4ja6npquwxpnpqji`, undefined],
      ],
    );
  });

  it('creates, reads, updates and deletes endpoints with credentials nested as the API wants', async () => {
    const D = `${U}/domains/rd-1/endpoints`;
    const { client, requests } = clientWith((request) => {
      if (request.method === 'POST' && request.path === D) return created(`${D}/re-6dd6kudwpxo3672peoycsgq`);
      if (request.method === 'GET') {
        return json(200, {
          id: 're-6dd6kudwpxo3672peoycsgq',
          name: 'jsmith_mobile',
          description: 'Jane',
          domainId: 'rd-1',
          applicationId: 'a-1',
          enabled: 'true',
          sipUri: 'jsmith_mobile@xyz.bwapp.bwsip.io',
          credentials: { realm: 'xyz.bwapp.bwsip.io', username: 'jsmith_mobile' },
        });
      }
      return empty(200);
    });
    const result = await client.createEndpoint('rd-1', {
      name: 'jsmith_mobile',
      description: 'Jane',
      applicationId: 'a-1',
      enabled: true,
      password: 'pa55word!',
    });
    const endpoint = await client.getEndpoint('rd-1', 're-6dd6kudwpxo3672peoycsgq');
    await client.updateEndpoint('rd-1', 're-6dd6kudwpxo3672peoycsgq', { enabled: false, password: 'n3wpassword' });
    await client.updateEndpoint('rd-1', 're-6dd6kudwpxo3672peoycsgq', { applicationId: 'a-2' });
    await client.deleteEndpoint('rd-1', 're-6dd6kudwpxo3672peoycsgq');
    assert.deepEqual(result, { id: 're-6dd6kudwpxo3672peoycsgq' });
    assert.deepEqual(endpoint, {
      id: 're-6dd6kudwpxo3672peoycsgq',
      name: 'jsmith_mobile',
      description: 'Jane',
      domainId: 'rd-1',
      applicationId: 'a-1',
      enabled: true,
      sipUri: 'sip:jsmith_mobile@xyz.bwapp.bwsip.io',
      credentials: { realm: 'xyz.bwapp.bwsip.io', username: 'jsmith_mobile' },
    });
    assert.deepEqual(
      requests.map((r) => [r.method, r.path, r.bodyText]),
      [
        [
          'POST',
          D,
          '{"name":"jsmith_mobile","description":"Jane","domainId":"rd-1","applicationId":"a-1","enabled":true,"credentials":{"password":"pa55word!"}}',
        ],
        ['GET', `${D}/re-6dd6kudwpxo3672peoycsgq`, undefined],
        ['POST', `${D}/re-6dd6kudwpxo3672peoycsgq`, '{"enabled":false,"credentials":{"password":"n3wpassword"}}'],
        ['POST', `${D}/re-6dd6kudwpxo3672peoycsgq`, '{"applicationId":"a-2"}'],
        ['DELETE', `${D}/re-6dd6kudwpxo3672peoycsgq`, undefined],
      ],
    );
  });

  it('lists endpoints, filling domainId from the path when the item lacks it', async () => {
    const { client, requests } = clientWith(() =>
      json(200, [
        {
          id: 're-1',
          name: 'bob',
          enabled: false,
          sipUri: 'sip:bob@d.bwapp.bwsip.io',
          credentials: { realm: 'd.bwapp.bwsip.io', username: 'bob' },
        },
      ]),
    );
    const listed = [];
    for await (const item of client.listEndpoints('rd-9', { size: 1000 })) listed.push(item);
    assert.equal(only(requests).path, `${U}/domains/rd-9/endpoints?size=1000`);
    assert.deepEqual(listed, [
      {
        id: 're-1',
        name: 'bob',
        domainId: 'rd-9',
        enabled: false,
        sipUri: 'sip:bob@d.bwapp.bwsip.io',
        credentials: { realm: 'd.bwapp.bwsip.io', username: 'bob' },
      },
    ]);
  });

  it('creates endpoint tokens (201 or 200, with or without expiry) and deletes one by value', async () => {
    const T = `${U}/domains/rd-1/endpoints/re-1/tokens`;
    let status = 201;
    const { client, requests } = clientWith((request) =>
      request.method === 'POST'
        ? json(status, { token: 'tok/en+1', expires: status === 201 ? 3600 : '600' })
        : empty(200),
    );
    assert.deepEqual(await client.createEndpointToken('rd-1', 're-1', 3600), { token: 'tok/en+1', expires: 3600 });
    status = 200;
    assert.deepEqual(await client.createEndpointToken('rd-1', 're-1'), { token: 'tok/en+1', expires: 600 });
    await client.deleteEndpointToken('rd-1', 're-1', 'tok/en+1');
    assert.deepEqual(
      requests.map((r) => [r.method, r.path, r.bodyText]),
      [
        ['POST', T, '{"expires":3600}'],
        ['POST', T, undefined],
        ['DELETE', `${T}/tok%2Fen%2B1`, undefined],
      ],
    );
  });

  it('accepts a base URL with a trailing slash and exposes the user id', async () => {
    const fake = createFakeFetch(() => json(200, []));
    const client = createCatapultClient({ ...testOptions(fake.fetch).options, baseUrl: 'http://127.0.0.1:8088/v1/' });
    await client.searchLocalNumbers({ state: 'NC' });
    assert.equal(only(fake.requests).url, 'http://127.0.0.1:8088/v1/availableNumbers/local?state=NC');
    assert.equal(client.userId, 'u-abc123');
  });

  it('rejects missing or malformed options up front', () => {
    const fake = createFakeFetch(() => json(200, []));
    const { options } = testOptions(fake.fetch);
    assert.throws(() => createCatapultClient({ ...options, apiSecret: '' }), /apiSecret is required/);
    assert.throws(() => createCatapultClient({ ...options, baseUrl: 'not a url' }), TypeError);
    assert.throws(() => createCatapultClient({ ...options, maxAttempts: 0 }), /maxAttempts/);
  });
});
