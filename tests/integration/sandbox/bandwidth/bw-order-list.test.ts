// The Bandwidth sandbox's list of number orders (GET /orders): found by CustomerOrderId (what the app searches after
// a crash between ordering and saving the order's id), paginated by page/size, in the shape of @bandwidth/numbers'
// `siteOrders` fixture, and read by the official client's Order.list.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { startBandwidth, xmlPaths, type BwHarness, type Provisioned } from './bw-harness';

const load = createRequire(__filename);
const numbers = load('@bandwidth/numbers');
const fixtures = load('@bandwidth/numbers/test/xml.json') as Record<string, string>;

let h: BwHarness;
let client: any;
let location: Provisioned;

before(async () => {
  h = await startBandwidth({ bandwidth: { orderDelayMs: 10_000 } });
  client = new numbers.Client(h.accountId, '', '', null, null, {
    apiEndPoint: `${h.sandbox.bandwidth.apiUrl}/api`,
    tempAccessToken: await h.token(),
    autoRefreshToken: false,
  });
  location = await h.provision({ callbackUrl: 'http://127.0.0.1:9/initiate' });
});
after(() => h.close());

/** Places an order for one available 984 number, with `customerOrderId` when given; returns the order id. */
async function order(customerOrderId?: string): Promise<string> {
  const search = await h.numbers('GET', '/availableNumbers?areaCode=984&quantity=1');
  const tn = /<TelephoneNumber>(\d{10})</.exec(search.text)![1]!;
  const created = await h.numbers(
    'POST',
    '/orders',
    `<Order>${customerOrderId ? `<CustomerOrderId>${customerOrderId}</CustomerOrderId>` : ''}` +
      `<SiteId>${location.siteId}</SiteId><PeerId>${location.peerId}</PeerId>` +
      `<ExistingTelephoneNumberOrderType><TelephoneNumberList><TelephoneNumber>${tn}</TelephoneNumber>` +
      `</TelephoneNumberList></ExistingTelephoneNumberOrderType></Order>`,
  );
  assert.equal(created.status, 201, created.text);
  return /<id>([^<]+)</.exec(created.text)![1]!;
}

const ids = (xml: string) => [...xml.matchAll(/<orderId>([^<]+)</g)].map((match) => match[1]);

describe('GET /orders', () => {
  let first: string;
  let second: string;
  let other: string;

  before(async () => {
    first = await order('attempt-a');
    await h.control('POST', '/orders/settle'); // the first one completes; the others stay RECEIVED
    other = await order('attempt-b');
    second = await order('attempt-a');
    await order();
  });

  test('customerOrderId finds exactly that attempt’s orders, oldest first, in the siteOrders fixture’s shape', async () => {
    const reply = await h.numbers('GET', '/orders?customerOrderId=attempt-a&page=1&size=10');
    assert.equal(reply.status, 200);
    assert.deepEqual(ids(reply.text), [first, second]);
    assert.match(reply.text, /<TotalCount>2<\/TotalCount>/);
    assert.equal((reply.text.match(/<CustomerOrderId>attempt-a<\/CustomerOrderId>/g) ?? []).length, 2);
    assert.match(reply.text, new RegExp(`<orderId>${first}</orderId><OrderStatus>COMPLETE</OrderStatus>`));
    assert.match(reply.text, new RegExp(`<orderId>${second}</orderId><OrderStatus>RECEIVED</OrderStatus>`));
    assert.match(reply.text, /<States><StateWithCount><State>NC<\/State><Count>1<\/Count>/);
    // The fixture's page has a next page (an empty <next/>); this one is the last, so it has none.
    const list = 'ResponseSelectWrapper/ListOrderIdUserIdDate';
    const want = [...xmlPaths(fixtures.siteOrders!), `${list}/OrderIdUserIdDate/CustomerOrderId`]
      .filter((path) => path !== `${list}/Links/next`)
      .sort();
    assert.deepEqual([...xmlPaths(reply.text)].sort(), want);

    assert.deepEqual(ids((await h.numbers('GET', '/orders?customerOrderId=attempt-b&page=1&size=10')).text), [other]);
    const none = await h.numbers('GET', '/orders?customerOrderId=never-used&page=1&size=10');
    assert.equal(none.status, 200);
    assert.match(none.text, /<TotalCount>0<\/TotalCount>/);
    assert.deepEqual(ids(none.text), []);
  });

  test('status filters; without customerOrderId every order is listed', async () => {
    const complete = await h.numbers('GET', '/orders?status=complete&page=1&size=10');
    assert.ok(ids(complete.text).includes(first));
    assert.ok(!ids(complete.text).includes(second));
    const all = await h.numbers('GET', '/orders?page=1&size=1000');
    assert.ok([first, second, other].every((id) => ids(all.text).includes(id)));
  });

  test('size pages through the list; the next link starts at the next order', async () => {
    const page1 = await h.numbers('GET', '/orders?customerOrderId=attempt-a&page=1&size=1');
    assert.deepEqual(ids(page1.text), [first]);
    assert.match(page1.text, /<TotalCount>2<\/TotalCount>/);
    const next = /<next>&lt;(.+?)&gt;;rel=&quot;next&quot;;<\/next>/.exec(page1.text)?.[1];
    assert.ok(next, page1.text);
    assert.equal(new URL(next.replaceAll('&amp;', '&')).searchParams.get('page'), second);
    const page2 = await h.numbers('GET', `/orders?customerOrderId=attempt-a&page=${second}&size=1`);
    assert.deepEqual(ids(page2.text), [second]);
    assert.doesNotMatch(page2.text, /<next>/);
  });

  test('the official client’s Order.list reads it', async () => {
    const listed = await numbers.Order.listAsync(client, { customerOrderId: 'attempt-b', page: 1, size: 5 });
    const list = listed.listOrderIdUserIdDate;
    assert.equal(list.totalCount, 1);
    assert.equal(list.orderIdUserIdDate.orderId, other);
    assert.equal(list.orderIdUserIdDate.customerOrderId, 'attempt-b');
  });

  test('a list without page or a bad size, an unknown page, or a filter the sandbox does not apply → 400', async () => {
    for (const query of [
      'customerOrderId=attempt-a&size=10',
      'customerOrderId=attempt-a&page=1',
      'page=1&size=0',
      `page=1&size=1001`,
      'page=not-an-order&size=10',
      'page=1&size=10&startdate=2026-01-01',
    ]) {
      const reply = await h.numbers('GET', `/orders?${query}`);
      assert.equal(reply.status, 400, query);
      assert.match(
        reply.text,
        /<ResponseSelectWrapper><ResponseStatus><ErrorCode>\d+<\/ErrorCode><Description>/,
        query,
      );
    }
  });
});
