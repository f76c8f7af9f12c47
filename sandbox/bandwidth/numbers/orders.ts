// Number orders (/api/accounts/{accountId}/orders): POST answers at once with OrderStatus RECEIVED and the order
// is processed later (after `orderDelayMs`), as Bandwidth's asynchronous ordering is. A number that left the
// inventory meanwhile (someone else took it) fails inside the order — COMPLETE, PARTIAL or FAILED — never the
// request (docs/contracts/bandwidth-v2.md §5). Shapes follow @bandwidth/numbers' `order` fixture and its PARTIAL
// order response.
import { numbersError } from '../http/bw-errors';
import type { BwRouter } from '../http/bw-router';
import { child, childText, childrenNamed, xmlDocument, type XmlNode } from '../http/xml';
import { listOrders } from './order-list';
import { toE164, toTn, type BwOrder, type FailedNumber, type NumbersStore } from './numbers-store';
import type { Scheduler } from './scheduler';
import { readXmlBody } from './xml-body';

const WRAPPER = 'OrderResponse';
export const MAX_ORDER_QUANTITY = 5000;
export const UNAVAILABLE_CODE = 5005;

export function mountOrders(router: BwRouter, store: NumbersStore, scheduler: Scheduler): void {
  const base = '/api/accounts/:accountId/orders';
  router.add('POST', base, 'numbers', (request) => {
    const input = readXmlBody(request.body, 'Order', WRAPPER);
    const order = parseOrder(store, input, scheduler.now());
    store.orders.set(order.id, order);
    scheduler.later('order', () => completeOrder(store, order, scheduler.now()));
    return {
      status: 201,
      headers: { Location: `${request.url.origin}/api/accounts/${request.params.accountId}/orders/${order.id}` },
      body: orderDocument(order),
    };
  });
  router.add('GET', base, 'numbers', (request) => ({ status: 200, body: listOrders(store, request) }));
  router.add('GET', `${base}/:orderId`, 'numbers', (request) => {
    const order = store.orders.get(request.params.orderId!);
    if (!order) throw numbersError(404, WRAPPER, 5003, `Order '${request.params.orderId}' not found`);
    return { status: 200, body: orderDocument(order) };
  });
  router.add('GET', `${base}/:orderId/tns`, 'numbers', (request) => {
    const order = store.orders.get(request.params.orderId!);
    if (!order) throw numbersError(404, WRAPPER, 5003, `Order '${request.params.orderId}' not found`);
    return {
      status: 200,
      body: xmlDocument([
        'TelephoneNumbers',
        [['Count', order.completed.length], ...order.completed.map((tn): XmlNode => ['TelephoneNumber', tn])],
      ]),
    };
  });
}

function parseOrder(store: NumbersStore, input: Parameters<typeof childText>[0], now: number): BwOrder {
  const siteId = childText(input, 'SiteId');
  const site = siteId ? store.sites.get(siteId) : undefined;
  if (!site) throw numbersError(400, WRAPPER, 5010, siteId ? `Site '${siteId}' does not exist` : 'SiteId is required');
  const sitePeers = [...store.peers.values()].filter((peer) => peer.siteId === site.id);
  const peerId = childText(input, 'PeerId');
  const peer = peerId ? sitePeers.find((p) => p.id === peerId) : sitePeers.find((p) => p.isDefault);
  if (!peer) {
    throw numbersError(
      400,
      WRAPPER,
      5011,
      peerId ? `SIP peer '${peerId}' does not exist on site '${site.id}'` : `Site '${site.id}' has no default SIP peer`,
    );
  }
  const existing = child(input, 'ExistingTelephoneNumberOrderType');
  const byAreaCode = child(input, 'AreaCodeSearchAndOrderType');
  let request: BwOrder['request'];
  if (existing) {
    const tns = childrenNamed(child(existing, 'TelephoneNumberList'), 'TelephoneNumber').map((e) =>
      toTn(e.text.trim()),
    );
    if (tns.length === 0)
      throw numbersError(400, WRAPPER, 5012, 'TelephoneNumberList must list at least one TelephoneNumber');
    if (tns.length > MAX_ORDER_QUANTITY)
      throw numbersError(400, WRAPPER, 5012, `At most ${MAX_ORDER_QUANTITY} numbers per order`);
    const bad = tns.find((tn) => !/^[2-9]\d{2}[2-9]\d{6}$/.test(tn));
    if (bad !== undefined) throw numbersError(400, WRAPPER, 5013, `'${bad}' is not a valid telephone number`);
    request = { kind: 'existing', tns: [...new Set(tns)] };
  } else if (byAreaCode) {
    const areaCode = childText(byAreaCode, 'AreaCode') ?? '';
    const quantity = Number(childText(byAreaCode, 'Quantity') ?? '1');
    if (!/^[2-9]\d{2}$/.test(areaCode)) throw numbersError(400, WRAPPER, 5013, 'AreaCode must be 3 digits');
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_ORDER_QUANTITY) {
      throw numbersError(400, WRAPPER, 5012, `Quantity must be from 1 to ${MAX_ORDER_QUANTITY}`);
    }
    request = { kind: 'areaCode', areaCode, quantity };
  } else {
    throw numbersError(
      400,
      WRAPPER,
      5014,
      'The order needs ExistingTelephoneNumberOrderType or AreaCodeSearchAndOrderType',
    );
  }
  const name = childText(input, 'Name');
  if (name !== undefined && name.length > 50)
    throw numbersError(400, WRAPPER, 5015, 'Name must be at most 50 characters');
  const customerOrderId = childText(input, 'CustomerOrderId');
  return {
    id: store.uuid(),
    ...(name ? { name } : {}),
    ...(customerOrderId ? { customerOrderId } : {}),
    siteId: site.id,
    peerId: peer.id,
    partialAllowed: childText(input, 'PartialAllowed') !== 'false',
    backOrderRequested: childText(input, 'BackOrderRequested') === 'true',
    request,
    createdAt: now,
    status: 'RECEIVED',
    completed: [],
    failed: [],
  };
}

/** Takes the numbers from the inventory: all, some (PARTIAL) or none (FAILED; also when partial is not allowed). */
export function completeOrder(store: NumbersStore, order: BwOrder, now: number): void {
  if (order.status !== 'RECEIVED') return;
  const wanted =
    order.request.kind === 'existing'
      ? order.request.tns
      : store.inventory
          .list()
          .filter((item) => item.areaCode === (order.request as { areaCode: string }).areaCode && !item.tollFree)
          .slice(0, order.request.quantity)
          .map((item) => toTn(item.number));
  const available = wanted.filter((tn) => store.inventory.get(toE164(tn)) !== undefined);
  const failed: FailedNumber[] = wanted
    .filter((tn) => !available.includes(tn))
    .map((tn) => ({ tn, code: UNAVAILABLE_CODE, description: 'The telephone number is unavailable for ordering' }));
  if (order.request.kind === 'areaCode' && wanted.length < order.request.quantity) {
    failed.push({
      tn: '',
      code: 5006,
      description: `Only ${wanted.length} of ${order.request.quantity} numbers available in ${order.request.areaCode}`,
    });
  }
  const take = failed.length > 0 && !order.partialAllowed ? [] : available;
  for (const tn of take) {
    const inventory = store.inventory.take(toE164(tn))!;
    store.numbers.set(tn, {
      tn,
      e164: toE164(tn),
      siteId: order.siteId,
      peerId: order.peerId,
      orderId: order.id,
      inventory,
      activatedAt: now,
    });
  }
  order.completed = take;
  order.failed =
    take.length === 0 && available.length > 0
      ? [
          ...failed,
          ...available.map((tn) => ({
            tn,
            code: 5007,
            description: 'Not ordered: the order does not allow partial completion',
          })),
        ]
      : failed;
  order.status = take.length === 0 ? 'FAILED' : failed.length > 0 ? 'PARTIAL' : 'COMPLETE';
  order.completedAt = now;
}

export function orderDocument(order: BwOrder): string {
  const done = order.status !== 'RECEIVED';
  const failedTns = order.failed.filter((f) => f.tn !== '');
  return xmlDocument([
    WRAPPER,
    [
      done ? ['CompletedQuantity', order.completed.length] : undefined,
      ['CreatedByUser', 'sandbox-api-client'],
      done && order.failed.length > 0
        ? [
            'ErrorList',
            order.failed.map((f): XmlNode => [
              'Error',
              [['Code', f.code], ['Description', f.description], f.tn ? ['TelephoneNumber', f.tn] : undefined],
            ]),
          ]
        : undefined,
      done && failedTns.length > 0 ? ['FailedNumbers', failedTns.map((f): XmlNode => ['FullNumber', f.tn])] : undefined,
      ['LastModifiedDate', new Date(order.completedAt ?? order.createdAt).toISOString()],
      done ? ['OrderCompleteDate', new Date(order.completedAt!).toISOString()] : undefined,
      [
        'Order',
        [
          ['id', order.id],
          ['Name', order.name],
          ['CustomerOrderId', order.customerOrderId],
          ['OrderCreateDate', new Date(order.createdAt).toISOString()],
          ['PeerId', order.peerId],
          ['BackOrderRequested', order.backOrderRequested],
          order.request.kind === 'existing'
            ? [
                'ExistingTelephoneNumberOrderType',
                [['TelephoneNumberList', order.request.tns.map((tn): XmlNode => ['TelephoneNumber', tn])]],
              ]
            : [
                'AreaCodeSearchAndOrderType',
                [
                  ['AreaCode', order.request.areaCode],
                  ['Quantity', order.request.quantity],
                ],
              ],
          ['PartialAllowed', order.partialAllowed],
          ['SiteId', order.siteId],
        ],
      ],
      ['OrderStatus', order.status],
      done && order.completed.length > 0
        ? ['CompletedNumbers', order.completed.map((tn): XmlNode => ['TelephoneNumber', [['FullNumber', tn]]])]
        : undefined,
      done
        ? [
            'Summary',
            `${order.completed.length} out of ${order.completed.length + order.failed.length} numbers ordered`,
          ]
        : undefined,
      done ? ['FailedQuantity', order.failed.length] : undefined,
    ],
  ]);
}
