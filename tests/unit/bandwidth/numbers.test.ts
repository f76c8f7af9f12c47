// Bandwidth numbers on a scripted Numbers API: the order body as the official client builds it, the asynchronous
// order polled to completion within a bounded time, an order still pending at the deadline handed back for a later
// resume, a number that fails inside its order, a lost first answer found again by CustomerOrderId, a release by
// disconnect order, and the search with city and state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../../core/errors';
import { noopLogger } from '../../../core/log';
import { createNumbersApi } from '../../../core/providers/bandwidth/numbers-api';
import { createNumbersHttp } from '../../../core/providers/bandwidth/numbers-http';
import { createBandwidthNumbers, customerOrderId } from '../../../core/providers/bandwidth/numbers';
import { ACCOUNT, API_URL, assertSameXml, elementTree, fakeNumbersFetch, xml, type Answer } from './numbers-fake';

const TN = '9195551234';
const NUMBER = `+1${TN}`;
const OWNER = { username: 'alice', marker: 'app:alice', attempt: '2026-12-05T19:00:00.000Z' };
const RESOURCES = { applicationId: 'app-1', siteId: '11', locationId: '22' };

function numbers(answer: Answer, options: { orderWaitMs?: number } = {}) {
  const { fetch, sent } = fakeNumbersFetch(answer);
  let clock = 0;
  const http = createNumbersHttp({
    apiUrl: API_URL,
    accountId: ACCOUNT,
    accessToken: async () => 'account-token',
    logger: noopLogger,
    fetch,
    sleep: async () => undefined,
  });
  const part = createBandwidthNumbers({
    api: createNumbersApi(http),
    resources: async () => RESOURCES,
    logger: noopLogger,
    orderWaitMs: options.orderWaitMs ?? 5000,
    orderPollMs: 250,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms; // the poll's pauses pass instantly, on a clock the test reads
    },
  });
  return { part, sent, elapsed: () => clock };
}

const orderXml = (id: string, status: string, extra = '') =>
  `<?xml version="1.0"?><OrderResponse><Order><id>${id}</id><CustomerOrderId>${customerOrderId(OWNER)}</CustomerOrderId>` +
  `<SiteId>11</SiteId><PeerId>22</PeerId><ExistingTelephoneNumberOrderType><TelephoneNumberList>` +
  `<TelephoneNumber>${TN}</TelephoneNumber></TelephoneNumberList></ExistingTelephoneNumberOrderType></Order>` +
  `<OrderStatus>${status}</OrderStatus>${extra}</OrderResponse>`;
const COMPLETED = `<CompletedNumbers><TelephoneNumber><FullNumber>${TN}</FullNumber></TelephoneNumber></CompletedNumbers>`;
const created = (id: string) =>
  xml(201, orderXml(id, 'RECEIVED'), { location: `${API_URL}/api/accounts/${ACCOUNT}/orders/${id}` });

test('an order goes into the app’s location as the official client writes it, and is polled until COMPLETE', async () => {
  let polls = 0;
  const { part, sent } = numbers((request) => {
    if (request.method === 'POST' && request.path === '/orders') return created('ord-1');
    if (request.path === '/orders/ord-1')
      return xml(200, ++polls < 3 ? orderXml('ord-1', 'RECEIVED') : orderXml('ord-1', 'COMPLETE', COMPLETED));
    return xml(404);
  });
  const first = await part.order(NUMBER, OWNER);
  assert.deepEqual(first, { state: 'pending', orderRef: 'ord-1' }, 'the POST only says RECEIVED');
  assertSameXml(sent[0]!.body, {
    order: {
      name: OWNER.marker,
      customerOrderId: customerOrderId(OWNER),
      siteId: '11',
      peerId: '22',
      partialAllowed: false,
      existingTelephoneNumberOrderType: { telephoneNumberList: { telephoneNumber: [TN] } },
    },
  });
  assert.equal(sent[0]!.headers.authorization, 'Bearer account-token');
  assert.deepEqual(await part.awaitOrder('ord-1', NUMBER, OWNER), { state: 'done', numberRef: 'ord-1' });
  assert.equal(polls, 3);
});

test('still pending at the deadline: the order id comes back for a later resume, within the bounded wait', async () => {
  const { part, elapsed } = numbers(
    (request) => (request.path === '/orders/ord-2' ? xml(200, orderXml('ord-2', 'RECEIVED')) : xml(404)),
    { orderWaitMs: 3000 },
  );
  assert.deepEqual(await part.awaitOrder('ord-2', NUMBER, OWNER), { state: 'pending', orderRef: 'ord-2' });
  assert.ok(elapsed() <= 3000, `waited ${elapsed()} ms`);
});

test('a number that fails inside its order is number-unavailable; a lost first order of ours is found again', async () => {
  const failed = orderXml(
    'ord-3',
    'FAILED',
    `<ErrorList><Error><Code>5005</Code><Description>gone</Description><TelephoneNumber>${TN}</TelephoneNumber></Error></ErrorList>`,
  );
  const lookups: string[] = [];
  const unavailable = numbers((request) => {
    if (request.path === '/orders/ord-3') return xml(200, failed);
    if (request.path === '/orders') {
      lookups.push(request.url.searchParams.get('customerOrderId') ?? '');
      return xml(
        200,
        '<ResponseSelectWrapper><ListOrderIdUserIdDate><TotalCount>0</TotalCount></ListOrderIdUserIdDate></ResponseSelectWrapper>',
      );
    }
    return xml(404);
  });
  await assert.rejects(
    unavailable.part.awaitOrder('ord-3', NUMBER, OWNER),
    (e: unknown) => isAppError(e) && e.code === 'number-unavailable' && e.field === 'number',
  );
  assert.deepEqual(lookups, [customerOrderId(OWNER)], 'looked for an earlier order of this attempt first');

  // The retry's order failed because the first (whose answer was lost) got the number: it is ours after all.
  const ours = numbers((request) => {
    if (request.path === '/orders/ord-3') return xml(200, failed);
    if (request.path === '/orders')
      return xml(
        200,
        '<ResponseSelectWrapper><ListOrderIdUserIdDate><TotalCount>1</TotalCount><OrderIdUserIdDate>' +
          `<CustomerOrderId>${customerOrderId(OWNER)}</CustomerOrderId><orderId>ord-0</orderId><OrderStatus>COMPLETE</OrderStatus>` +
          '</OrderIdUserIdDate></ListOrderIdUserIdDate></ResponseSelectWrapper>',
      );
    if (request.path === '/orders/ord-0') return xml(200, orderXml('ord-0', 'COMPLETE', COMPLETED));
    if (request.path === `/inserviceNumbers/${TN}`) return xml(200);
    return xml(404);
  });
  assert.deepEqual(await ours.part.awaitOrder('ord-3', NUMBER, OWNER), { state: 'done', numberRef: 'ord-0' });
});

test('release: a disconnect order when the number is in service, nothing when it is already gone', async () => {
  const { part, sent } = numbers((request) => {
    if (request.path === `/inserviceNumbers/${TN}`) return xml(200);
    if (request.method === 'POST' && request.path === '/disconnects')
      return xml(
        201,
        '<DisconnectTelephoneNumberOrderResponse><orderRequest><id>disc-1</id></orderRequest><OrderStatus>RECEIVED</OrderStatus></DisconnectTelephoneNumberOrderResponse>',
      );
    return xml(404);
  });
  await part.release('ord-1', NUMBER);
  const disconnect = sent.find((r) => r.path === '/disconnects');
  assert.deepEqual(
    elementTree(disconnect!.body!),
    elementTree(
      `<DisconnectTelephoneNumberOrder><name>release ${TN}</name><CustomerOrderId>${
        /<CustomerOrderId>([0-9a-f]{32})<\/CustomerOrderId>/.exec(disconnect!.body!)?.[1] ?? 'missing'
      }</CustomerOrderId><DisconnectTelephoneNumberOrderType><TelephoneNumberList><TelephoneNumber>${TN}</TelephoneNumber></TelephoneNumberList></DisconnectTelephoneNumberOrderType></DisconnectTelephoneNumberOrder>`,
    ),
  );

  const gone = numbers(() => xml(404));
  await gone.part.release('ord-1', NUMBER);
  assert.deepEqual(
    gone.sent.map((r) => `${r.method} ${r.path}`),
    [`GET /inserviceNumbers/${TN}`],
    'no disconnect for a number no longer in service',
  );
});

test('search: NANP numbers with city and state from the TN detail; a provider fault keeps its provider code', async () => {
  const { part, sent } = numbers(() =>
    xml(
      200,
      '<SearchResult><ResultCount>2</ResultCount><TelephoneNumberDetailList>' +
        '<TelephoneNumberDetail><City>CARY</City><LATA>426</LATA><RateCenter>CARY</RateCenter><State>NC</State><TelephoneNumber>9195550100</TelephoneNumber></TelephoneNumberDetail>' +
        '<TelephoneNumberDetail><City>APEX</City><State>NC</State><TelephoneNumber>9195550101</TelephoneNumber></TelephoneNumberDetail>' +
        '</TelephoneNumberDetailList></SearchResult>',
    ),
  );
  const found = await part.search({ city: 'Cary', state: 'NC', quantity: 5 });
  assert.deepEqual(found, [
    { number: '+19195550100', nationalNumber: '(919) 555-0100', city: 'CARY', state: 'NC' },
    { number: '+19195550101', nationalNumber: '(919) 555-0101', city: 'APEX', state: 'NC' },
  ]);
  assert.equal(sent[0]!.url.searchParams.get('enableTNDetail'), 'true');
  assert.equal(sent[0]!.url.searchParams.get('city'), 'Cary');

  const failing = numbers(() => xml(503));
  await assert.rejects(
    failing.part.search({ areaCode: '919', quantity: 5 }),
    (e: unknown) => isAppError(e) && e.code === 'provider-unavailable',
  );
  await assert.rejects(
    part.order('+442071234567', OWNER),
    (e: unknown) => isAppError(e) && e.code === 'invalid-number',
  );
});
