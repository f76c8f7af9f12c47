// A sign-up that stopped between placing its Bandwidth order and saving the order's id finds that order again by its
// CustomerOrderId: the core's real Numbers API client against the sandbox's order list (GET /orders).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { noopLogger } from '../../../core/log';
import type { NumberOwner } from '../../../core/provider/voice-provider';
import { createBandwidthNumbers, customerOrderId } from '../../../core/providers/bandwidth/numbers';
import { createNumbersApi } from '../../../core/providers/bandwidth/numbers-api';
import { createNumbersHttp } from '../../../core/providers/bandwidth/numbers-http';
import { startBandwidth, type BwHarness, type Provisioned } from '../sandbox/bandwidth/bw-harness';

let h: BwHarness;
let location: Provisioned;
before(async () => {
  h = await startBandwidth({ bandwidth: { orderDelayMs: 60_000 } });
  location = await h.provision({ callbackUrl: 'http://127.0.0.1:9/initiate' });
});
after(() => h.close());

function numbersProvider() {
  const api = createNumbersApi(
    createNumbersHttp({
      apiUrl: h.sandbox.bandwidth.apiUrl,
      accountId: h.accountId,
      accessToken: () => h.token(),
      logger: noopLogger,
    }),
  );
  const numbers = createBandwidthNumbers({
    api,
    resources: async () => ({
      applicationId: location.applicationId,
      siteId: location.siteId,
      locationId: location.peerId,
    }),
    logger: noopLogger,
  });
  return { api, numbers };
}

const owner = (username: string, attempt: string): NumberOwner => ({
  username,
  marker: `reference-app:${username}`,
  attempt,
});

test('the order an attempt placed is found by its CustomerOrderId, pending and then done; another attempt’s is not', async () => {
  const { api, numbers } = numbersProvider();
  const search = await h.numbers('GET', '/availableNumbers?areaCode=984&quantity=2');
  const [tn, otherTn] = [...search.text.matchAll(/<TelephoneNumber>(\d{10})</g)].map((m) => m[1]!);
  const mine = owner('alice', '2026-12-05T10:00:00.000Z');
  const placed = await numbers.order(`+1${tn}`, mine); // RECEIVED: the sandbox completes orders a minute later
  assert.ok(placed.state === 'pending');
  await numbers.order(`+1${otherTn}`, owner('alice', '2026-12-05T11:00:00.000Z'));

  // The process "stopped" here: only the owner and the number are known, not the order's id.
  const listed = await api.findOrders(customerOrderId(mine));
  assert.deepEqual(
    listed.map((order) => order.orderId),
    [placed.orderRef],
  );
  assert.deepEqual(await numbers.findOrdered(`+1${tn}`, mine), placed);
  assert.equal(await numbers.findOrdered(`+1${tn}`, owner('alice', '2026-12-05T12:00:00.000Z')), undefined);

  await h.control('POST', '/orders/settle');
  const found = await numbers.findOrdered(`+1${tn}`, mine);
  assert.equal(found?.state, 'done');
});
