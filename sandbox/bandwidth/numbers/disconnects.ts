// Disconnect orders (/api/accounts/{accountId}/disconnects): release numbers, asynchronously like orders. A
// number not in service on the account fails inside the order. A released number leaves the account and never
// returns to the inventory (as on the Catapult side). Also the in-service list (/inserviceNumbers), which is
// what the official client's `InServiceNumber.list` reads (docs/contracts/bandwidth-v2.md §6).
import { numbersError } from '../http/bw-errors';
import type { BwRouter } from '../http/bw-router';
import { child, childText, childrenNamed, xmlDocument, type XmlNode } from '../http/xml';
import { toTn, type BwDisconnect, type NumbersStore } from './numbers-store';
import type { Scheduler } from './scheduler';
import { readXmlBody } from './xml-body';

const WRAPPER = 'DisconnectTelephoneNumberOrderResponse';
export const NOT_IN_SERVICE_CODE = 7309;

export function mountDisconnects(router: BwRouter, store: NumbersStore, scheduler: Scheduler): void {
  const base = '/api/accounts/:accountId/disconnects';
  router.add('POST', base, 'numbers', (request) => {
    const input = readXmlBody(request.body, 'DisconnectTelephoneNumberOrder', WRAPPER);
    const list = child(child(input, 'DisconnectTelephoneNumberOrderType'), 'TelephoneNumberList');
    const tns = [...new Set(childrenNamed(list, 'TelephoneNumber').map((e) => toTn(e.text.trim())))];
    if (tns.length === 0)
      throw numbersError(400, WRAPPER, 7300, 'TelephoneNumberList must list at least one TelephoneNumber');
    const bad = tns.find((tn) => !/^\d{10}$/.test(tn));
    if (bad !== undefined) throw numbersError(400, WRAPPER, 7301, `'${bad}' is not a valid telephone number`);
    const name = childText(input, 'name') ?? childText(input, 'Name');
    const order: BwDisconnect = {
      id: store.uuid(),
      ...(name ? { name } : {}),
      tns,
      createdAt: scheduler.now(),
      status: 'RECEIVED',
      completed: [],
      failed: [],
    };
    store.disconnects.set(order.id, order);
    scheduler.later('disconnect', () => completeDisconnect(store, order, scheduler.now()));
    return {
      status: 201,
      headers: { Location: `${request.url.origin}/api/accounts/${request.params.accountId}/disconnects/${order.id}` },
      body: disconnectDocument(order),
    };
  });
  router.add('GET', `${base}/:orderId`, 'numbers', (request) => {
    const order = store.disconnects.get(request.params.orderId!);
    if (!order) throw numbersError(404, WRAPPER, 7302, `Disconnect order '${request.params.orderId}' not found`);
    return { status: 200, body: disconnectDocument(order) };
  });

  router.add('GET', '/api/accounts/:accountId/inserviceNumbers', 'numbers', (request) => {
    const tns = [...store.numbers.keys()].sort();
    return {
      status: 200,
      body: xmlDocument([
        'TNs',
        [
          ['TotalCount', tns.length],
          ['Links', [['first', `${request.url.origin}${request.url.pathname}?page=1&size=${Math.max(tns.length, 1)}`]]],
          ['TelephoneNumbers', [['Count', tns.length], ...tns.map((tn): XmlNode => ['TelephoneNumber', tn])]],
        ],
      ]),
    };
  });
  router.add('GET', '/api/accounts/:accountId/inserviceNumbers/:tn', 'numbers', (request) => {
    if (!store.findNumber(request.params.tn!)) {
      throw numbersError(
        404,
        'TelephoneNumberResponse',
        7309,
        `Telephone number '${request.params.tn}' is not in service on this account`,
      );
    }
    return { status: 200 };
  });
}

export function completeDisconnect(store: NumbersStore, order: BwDisconnect, now: number): void {
  if (order.status !== 'RECEIVED') return;
  for (const tn of order.tns) {
    if (store.numbers.delete(tn)) order.completed.push(tn);
    else
      order.failed.push({
        tn,
        code: NOT_IN_SERVICE_CODE,
        description: `Telephone number ${tn} is not in service on this account`,
      });
  }
  order.status = order.completed.length === 0 ? 'FAILED' : order.failed.length > 0 ? 'PARTIAL' : 'COMPLETE';
  order.completedAt = now;
}

export function disconnectDocument(order: BwDisconnect): string {
  const done = order.status !== 'RECEIVED';
  return xmlDocument([
    WRAPPER,
    [
      [
        'orderRequest',
        [
          ['Name', order.name],
          ['OrderCreateDate', new Date(order.createdAt).toISOString()],
          ['id', order.id],
          [
            'DisconnectTelephoneNumberOrderType',
            [
              ['TelephoneNumberList', order.tns.map((tn): XmlNode => ['TelephoneNumber', tn])],
              ['DisconnectMode', 'normal'],
            ],
          ],
        ],
      ],
      done && order.failed.length > 0
        ? [
            'ErrorList',
            order.failed.map((f): XmlNode => [
              'Error',
              [
                ['Code', f.code],
                ['Description', f.description],
                ['TelephoneNumber', f.tn],
              ],
            ]),
          ]
        : undefined,
      ['OrderStatus', order.status],
    ],
  ]);
}
