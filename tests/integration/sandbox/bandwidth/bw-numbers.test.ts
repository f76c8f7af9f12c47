// The Bandwidth sandbox's Numbers API, checked two ways: the official client (@bandwidth/numbers) drives it end
// to end with a Bearer token, and each XML answer's element structure is compared with the client's own wire
// fixtures (test/xml.json).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { startBandwidth, xmlPaths, type BwHarness } from './bw-harness';

const load = createRequire(__filename);
const numbers = load('@bandwidth/numbers');
const fixtures = load('@bandwidth/numbers/test/xml.json') as Record<string, string>;

let h: BwHarness;
let client: any;

before(async () => {
  h = await startBandwidth({ bandwidth: { orderDelayMs: 150, disconnectDelayMs: 150 } });
  client = new numbers.Client(h.accountId, '', '', null, null, {
    apiEndPoint: `${h.sandbox.bandwidth.apiUrl}/api`,
    tempAccessToken: await h.token(),
    autoRefreshToken: false,
  });
});
after(() => h.close());

/** The sandbox's answer has exactly the fixture's element structure (`extra` lists allowed additions). */
function assertShape(actual: string, fixture: string, extra: string[] = []): void {
  const got = [...xmlPaths(actual)].sort();
  const want = [...new Set([...xmlPaths(fixture), ...extra])].sort();
  assert.deepEqual(
    got.filter((p) => !want.includes(p)),
    [],
    'elements the fixture does not have',
  );
  assert.deepEqual(
    want.filter((p) => !got.includes(p) && !extra.includes(p)),
    [],
    'fixture elements missing',
  );
}

async function waitForStatus(kind: 'orders' | 'disconnects', id: string, status: RegExp): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const reply = await h.numbers('GET', `/${kind}/${id}`);
    if (status.test(reply.text)) return reply.text;
    if (Date.now() > deadline) throw new Error(`${kind} ${id} never reached ${status}: ${reply.text}`);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

describe('available numbers', () => {
  test('areaCode with enableTNDetail: the fixture shape, 10-digit numbers with city, state, rate center, LATA', async () => {
    const reply = await h.numbers('GET', '/availableNumbers?areaCode=919&enableTNDetail=true&quantity=3');
    assert.equal(reply.status, 200);
    assertShape(reply.text, fixtures.availableNumbers!);
    const result = await numbers.AvailableNumbers.listAsync(client, {
      areaCode: '919',
      enableTNDetail: true,
      quantity: 3,
    });
    assert.equal(result.resultCount, 3);
    for (const detail of result.telephoneNumberDetailList.telephoneNumberDetail) {
      assert.match(String(detail.telephoneNumber), /^919\d{7}$/);
      assert.equal(detail.state, 'NC');
      assert.ok(['RALEIGH', 'CARY', 'DURHAM'].includes(detail.city));
      assert.equal(String(detail.lata), '426');
    }
  });

  test('zip, city + state, rateCenter + state, npaNxx and state find the same seeded numbers as the Catapult side', async () => {
    const zip = await h.numbers('GET', '/availableNumbers?zip=27511&enableTNDetail=true');
    assert.match(zip.text, /<City>CARY<\/City>/);
    assert.doesNotMatch(zip.text, /<City>(RALEIGH|DURHAM)<\/City>/);
    const city = await h.numbers('GET', '/availableNumbers?city=durham&state=nc&quantity=5&enableTNDetail=true');
    assert.equal((city.text.match(/<City>DURHAM<\/City>/g) ?? []).length, 5);
    const rateCenter = await h.numbers('GET', '/availableNumbers?rateCenter=NWYRCYZN01&state=NY&quantity=2');
    assert.match(
      rateCenter.text,
      /<ResultCount>2<\/ResultCount><TelephoneNumberList><TelephoneNumber>212\d{7}<\/TelephoneNumber>/,
    );
    const npaNxx = await h.numbers('GET', '/availableNumbers?npaNxx=919232');
    assert.ok([...npaNxx.text.matchAll(/<TelephoneNumber>(\d+)</g)].every((m) => m[1]!.startsWith('919232')));
    assert.match((await h.numbers('GET', '/availableNumbers?state=WA&quantity=1')).text, /<TelephoneNumber>206/);
  });

  test('exchange 555 is never in the inventory; no match answers ResultCount 0', async () => {
    const reply = await h.numbers('GET', '/availableNumbers?npaNxx=919555');
    assert.equal(reply.status, 200);
    assert.match(reply.text, /<SearchResult><ResultCount>0<\/ResultCount><\/SearchResult>/);
  });

  test('bad searches: 400 <SearchResult><Error><Code/><Description/>, which the client reports as an error', async () => {
    for (const query of [
      '',
      'areaCode=91',
      'city=Cary',
      'state=North',
      'zip=2751',
      'areaCode=919&quantity=0',
      'rateCenter=CARY',
    ]) {
      const reply = await h.numbers('GET', `/availableNumbers?${query}`);
      assert.equal(reply.status, 400, query);
      assert.match(
        reply.text,
        /<SearchResult><Error><Code>40\d\d<\/Code><Description>[^<]+<\/Description><\/Error><\/SearchResult>/,
      );
    }
    await assert.rejects(numbers.AvailableNumbers.listAsync(client, { areaCode: '91' }));
  });
});

describe('applications, sites, locations and origination settings', () => {
  let applicationId: string;
  let site: any;
  let peer: any;

  test('a Voice-V2 application through the official client; its XML has the fixture shape', async () => {
    const created = await numbers.Application.createVoiceApplicationAsync(client, {
      appName: 'reference app',
      callInitiatedCallbackUrl: 'https://app.example/initiate',
      callInitiatedMethod: 'POST',
      callStatusCallbackUrl: 'https://app.example/status',
      callStatusMethod: 'POST',
      callbackCreds: { userId: 'hooks', password: 'hook-secret-1' },
    });
    applicationId = created.applicationId;
    assert.match(applicationId, /^[0-9a-f-]{36}$/);
    assert.equal(created.serviceType, 'Voice-V2');
    assert.equal(created.callInitiatedCallbackUrl, 'https://app.example/initiate');
    const one = await h.numbers('GET', `/applications/${applicationId}`);
    const contractExtras = [
      'CallInitiatedMethod',
      'CallStatusCallbackUrl',
      'CallStatusMethod',
      'CallbackCreds',
      'CallbackCreds/UserId',
    ];
    assertShape(
      one.text,
      fixtures.voiceApplication!,
      contractExtras.map((p) => `ApplicationProvisioningResponse/Application/${p}`),
    );
    assert.doesNotMatch(one.text, /hook-secret-1/, 'the callback password is write-only');
    const list = await h.numbers('GET', '/applications');
    assertShape(
      list.text,
      fixtures.applications!.replace(
        /<Application><ApplicationId>1<\/ApplicationId><ServiceType>Messaging-V2.*?<\/Application>/,
        '',
      ),
      contractExtras.map((p) => `ApplicationProvisioningResponse/ApplicationList/Application/${p}`),
    );
  });

  test('PATCH changes fields, never ServiceType; bad input → 400 ResponseStatus; unknown → 404', async () => {
    const patched = await h.numbers(
      'PATCH',
      `/applications/${applicationId}`,
      '<Application><AppName>renamed</AppName></Application>',
    );
    assert.equal(patched.status, 200);
    assert.match(patched.text, /<AppName>renamed<\/AppName><CallInitiatedCallbackUrl>https:\/\/app.example\/initiate</);
    const type = await h.numbers(
      'PATCH',
      `/applications/${applicationId}`,
      '<Application><ServiceType>Messaging-V2</ServiceType></Application>',
    );
    assert.equal(type.status, 400);
    assert.match(
      type.text,
      /<ApplicationProvisioningResponse><ResponseStatus><ErrorCode>\d+<\/ErrorCode><Description>ServiceType cannot be changed/,
    );
    const noUrl = await h.numbers(
      'POST',
      '/applications',
      '<Application><ServiceType>Voice-V2</ServiceType><AppName>x</AppName></Application>',
    );
    assert.equal(noUrl.status, 400);
    assert.equal((await h.numbers('POST', '/applications', 'not xml')).status, 400);
    assert.equal((await h.numbers('GET', '/applications/00000000-0000-0000-0000-000000000000')).status, 404);
    await assert.rejects(numbers.Application.getAsync(client, 'nope'));
  });

  test('a site and a location through the official client, linked to the application', async () => {
    site = await numbers.Site.createAsync(client, {
      name: 'reference site',
      description: 'created by the tests',
      address: {
        houseNumber: '900',
        streetName: 'Main Campus Drive',
        city: 'Raleigh',
        stateCode: 'NC',
        zip: '27609',
        country: 'United States',
        addressType: 'Service',
      },
    });
    assert.match(String(site.id), /^\d+$/);
    assertShape((await h.numbers('GET', `/sites/${site.id}`)).text, fixtures.site!);
    assertShape((await h.numbers('GET', '/sites')).text, fixtures.sites!);
    peer = await site.createSipPeerAsync({
      peerName: 'reference location',
      description: 'the app location',
      isDefaultPeer: true,
    });
    assert.equal(peer.isDefaultPeer, true);
    assertShape((await h.numbers('GET', `/sites/${site.id}/sippeers/${peer.id}`)).text, fixtures.sipPeer!);
    const settings = await peer.createOriginationSettingsAsync({
      voiceProtocol: 'HTTP',
      httpSettings: { httpVoiceV2AppId: applicationId },
    });
    assert.equal(settings.voiceProtocol, 'HTTP');
    const origination = await h.numbers('GET', `/sites/${site.id}/sippeers/${peer.id}/products/origination/settings`);
    assertShape(origination.text, fixtures.originationSettings!);
    assert.match(origination.text, new RegExp(`<HttpVoiceV2AppId>${applicationId}</HttpVoiceV2AppId>`));
    const linked = await h.numbers('GET', `/applications/${applicationId}/associatedsippeers`);
    assertShape(linked.text, fixtures.applicationSipPeers!);
    assert.match(linked.text, new RegExp(`<PeerId>${peer.id}</PeerId>`));
    const unlinkable = await h.numbers('DELETE', `/applications/${applicationId}`);
    assert.equal(unlinkable.status, 409, 'an application linked to a location cannot be deleted');
    const notVoice = await h.numbers(
      'POST',
      `/sites/${site.id}/sippeers/${peer.id}/products/origination/settings`,
      '<SipPeerOriginationSettings><VoiceProtocol>HTTP</VoiceProtocol><HttpSettings><HttpVoiceV2AppId>nope</HttpVoiceV2AppId></HttpSettings></SipPeerOriginationSettings>',
    );
    assert.equal(notVoice.status, 400);
    assert.equal((await h.numbers('GET', `/sites/99999999/sippeers/${peer.id}`)).status, 404);
  });

  test('an order is RECEIVED at once and COMPLETE later; the number is in service in the location', async () => {
    const available = await numbers.AvailableNumbers.listAsync(client, { areaCode: '984', quantity: 2 });
    const [tn] = available.telephoneNumberList.telephoneNumber as string[];
    const created = await numbers.Order.createAsync(client, {
      name: 'sign-up',
      siteId: site.id,
      peerId: peer.id,
      existingTelephoneNumberOrderType: { telephoneNumberList: { telephoneNumber: [tn] } },
    });
    assert.match(String(created.order.id), /^[0-9a-f-]{36}$/);
    const received = await h.numbers('GET', `/orders/${created.order.id}`);
    assert.match(received.text, /<OrderStatus>RECEIVED<\/OrderStatus>/);
    assertShape(received.text, fixtures.order!, [
      'OrderResponse/LastModifiedDate',
      'OrderResponse/OrderStatus',
      'OrderResponse/Order/PeerId',
      'OrderResponse/Order/BackOrderRequested',
      'OrderResponse/Order/ExistingTelephoneNumberOrderType',
      'OrderResponse/Order/ExistingTelephoneNumberOrderType/TelephoneNumberList',
      'OrderResponse/Order/ExistingTelephoneNumberOrderType/TelephoneNumberList/TelephoneNumber',
      'OrderResponse/Order/PartialAllowed',
      'OrderResponse/CompletedQuantity',
      'OrderResponse/FailedQuantity',
      'OrderResponse/PendingQuantity',
      'OrderResponse/OrderCompleteDate',
      'OrderResponse/Order/CustomerOrderId',
    ]);
    const complete = await waitForStatus('orders', created.order.id, /COMPLETE/);
    assert.match(complete, /<CompletedNumbers><TelephoneNumber><FullNumber>\d{10}<\/FullNumber>/);
    const got = await numbers.Order.getAsync(client, created.order.id);
    assert.equal(got.orderStatus, 'COMPLETE');
    assert.equal(got.completedQuantity, 1);
    const inService = await h.numbers('GET', '/inserviceNumbers');
    assertShape(inService.text, fixtures.inServiceNumbers!);
    assert.match(inService.text, new RegExp(`<TelephoneNumber>${tn}</TelephoneNumber>`));
    const peerTns = await h.numbers('GET', `/sites/${site.id}/sippeers/${peer.id}/tns`);
    assertShape(peerTns.text, fixtures.sipPeerTns!);
    assert.equal((await h.numbers('GET', `/inserviceNumbers/${tn}`)).status, 200);
    const owned = (await h.control('GET', '/numbers')).json as Array<{ number: string; applicationId: string }>;
    assert.equal(owned.find((n) => n.number === `+1${tn}`)?.applicationId, applicationId);
  });

  test('a number someone else took fails inside the order: PARTIAL with ErrorList 5005, or FAILED', async () => {
    const search = await h.numbers('GET', '/availableNumbers?areaCode=512&quantity=2');
    const [first, second] = [...search.text.matchAll(/<TelephoneNumber>(\d{10})</g)].map((m) => m[1]!);
    const orderXml = (tns: string[], partial = true) =>
      `<Order><SiteId>${site.id}</SiteId><PeerId>${peer.id}</PeerId><PartialAllowed>${partial}</PartialAllowed>` +
      `<ExistingTelephoneNumberOrderType><TelephoneNumberList>${tns.map((tn) => `<TelephoneNumber>${tn}</TelephoneNumber>`).join('')}` +
      `</TelephoneNumberList></ExistingTelephoneNumberOrderType></Order>`;
    const partial = await h.numbers('POST', '/orders', orderXml([first!, second!]));
    assert.equal(partial.status, 201, 'the request itself succeeds');
    assert.match(partial.headers.get('location') ?? '', /\/orders\/[0-9a-f-]{36}$/);
    assert.equal((await h.control('POST', '/inventory/take', { number: `+1${first}` })).status, 200);
    const id = /<id>([^<]+)</.exec(partial.text)![1]!;
    const done = await waitForStatus('orders', id, /PARTIAL/);
    assert.match(
      done,
      new RegExp(
        `<ErrorList><Error><Code>5005</Code><Description>[^<]+</Description><TelephoneNumber>${first}</TelephoneNumber></Error></ErrorList><FailedNumbers><FullNumber>${first}</FullNumber></FailedNumbers>`,
      ),
    );
    assert.match(
      done,
      new RegExp(
        `<CompletedNumbers><TelephoneNumber><FullNumber>${second}</FullNumber></TelephoneNumber></CompletedNumbers>`,
      ),
    );
    assert.match(done, /<FailedQuantity>1<\/FailedQuantity>/);
    await assert.rejects(numbers.Order.getAsync(client, id), 'the official client reports a PARTIAL order as an error');

    const failed = await h.numbers('POST', '/orders', orderXml([first!]));
    await waitForStatus('orders', /<id>([^<]+)</.exec(failed.text)![1]!, /<OrderStatus>FAILED</);
    const unknownSite = await h.numbers(
      'POST',
      '/orders',
      orderXml([first!]).replace(`<SiteId>${site.id}`, '<SiteId>1'),
    );
    assert.equal(unknownSite.status, 400);
    assert.match(unknownSite.text, /<OrderResponse><ResponseStatus><ErrorCode>/);
  });

  test('a disconnect order releases the number asynchronously; an unknown number fails inside it', async () => {
    const tn = /<TelephoneNumber>(\d{10})</.exec((await h.numbers('GET', '/inserviceNumbers')).text)![1]!;
    await numbers.Disconnect.createAsync(client, 'release', [tn, '9195550100']);
    const list = await h.numbers('GET', '/inserviceNumbers');
    assert.match(list.text, new RegExp(tn), 'still in service while the disconnect is RECEIVED');
    assert.equal((await h.control('POST', '/orders/settle')).status, 200);
    assert.doesNotMatch((await h.numbers('GET', '/inserviceNumbers')).text, new RegExp(`<TelephoneNumber>${tn}<`));
    assert.equal((await h.numbers('GET', `/inserviceNumbers/${tn}`)).status, 404);
    const search = await h.numbers('GET', `/availableNumbers?npaNxx=${tn.slice(0, 6)}`);
    assert.doesNotMatch(search.text, new RegExp(tn), 'a released number never returns to the inventory');
  });
});
