// The list of number orders (GET /api/accounts/{accountId}/orders): what a client that lost an order's id (a
// process stopped between placing the order and saving its id) searches by the CustomerOrderId it gave the order.
// Bandwidth's reference documents the list as paginated (`page` is "1" or the order id a page starts at, `size`
// how many orders a page holds) and filterable by customerOrderId and status, among others; the answer is
// `<ResponseSelectWrapper><ListOrderIdUserIdDate><TotalCount/><Links/><OrderIdUserIdDate>…`, the shape of
// @bandwidth/numbers' `siteOrders` fixture (the same list under one site).
import { numbersError } from '../http/bw-errors';
import type { BwRequest } from '../http/bw-router';
import type { XmlNode } from '../http/xml';
import { xmlDocument } from '../http/xml';
import type { BwOrder, NumbersStore } from './numbers-store';

const WRAPPER = 'ResponseSelectWrapper';
/** The sandbox's own bound on `size` (Bandwidth's is not published in the sources this sandbox reads). */
export const MAX_PAGE_SIZE = 1000;
/** Filters Bandwidth documents that the sandbox does not apply: refused, so a client never gets an unfiltered list. */
const UNSUPPORTED_FILTERS = ['userid', 'startdate', 'enddate', 'orderIdFragment', 'tn'];
/** Error code of a bad list request: not in the sources the sandbox reads, so the sandbox's own. */
const BAD_QUERY_CODE = 5020;

export function listOrders(store: NumbersStore, request: BwRequest): string {
  const { query } = request;
  const unsupported = UNSUPPORTED_FILTERS.find((name) => query.has(name));
  if (unsupported) throw badQuery(`The sandbox does not filter orders by '${unsupported}'`);
  const page = query.get('page');
  const size = Number(query.get('size'));
  if (page === null || page === '') throw badQuery("Order lists are paginated: 'page' is required (1 for the first)");
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE)
    throw badQuery(`'size' must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  const customerOrderId = query.get('customerOrderId');
  const status = query.get('status')?.toUpperCase();

  // Oldest first, so a page that starts at an order id stays stable while new orders arrive.
  const matching = [...store.orders.values()]
    .filter((order) => customerOrderId === null || order.customerOrderId === customerOrderId)
    .filter((order) => status === undefined || order.status === status)
    .sort((a, b) => a.createdAt - b.createdAt);
  const start = page === '1' ? 0 : matching.findIndex((order) => order.id === page);
  if (start < 0) throw badQuery(`'page' must be 1 or the id of a listed order; '${page}' is neither`);
  const shown = matching.slice(start, start + size);
  const next = matching[start + size];

  const link = (from: string) => {
    const url = new URL(request.url.href);
    url.searchParams.set('page', from);
    return `<${url.href}>;rel="${from === '1' ? 'first' : 'next'}";`;
  };
  return xmlDocument([
    WRAPPER,
    [
      [
        'ListOrderIdUserIdDate',
        [
          ['TotalCount', matching.length],
          ['Links', [['first', link('1')], next ? ['next', link(next.id)] : undefined]],
          ...shown.map((order) => listItem(store, order)),
        ],
      ],
    ],
  ]);
}

function listItem(store: NumbersStore, order: BwOrder): XmlNode {
  const inService = order.completed.flatMap((tn) => {
    const number = store.numbers.get(tn);
    return number ? [number.inventory] : [];
  });
  return [
    'OrderIdUserIdDate',
    [
      ['CountOfTNs', order.completed.length],
      ['CustomerOrderId', order.customerOrderId],
      ['userId', 'sandbox-api-client'],
      ['lastModifiedDate', new Date(order.completedAt ?? order.createdAt).toISOString()],
      ['OrderType', 'new_number'],
      ['OrderDate', new Date(order.createdAt).toISOString()],
      ['orderId', order.id],
      ['OrderStatus', order.status],
      inService.length === 0
        ? undefined
        : [
            'TelephoneNumberDetails',
            [
              counted(
                'States',
                'StateWithCount',
                'State',
                inService.map((n) => n.state),
              ),
              counted(
                'RateCenters',
                'RateCenterWithCount',
                'RateCenter',
                inService.map((n) => n.rateCenter),
              ),
              counted(
                'Cities',
                'CityWithCount',
                'City',
                inService.map((n) => n.city),
              ),
              counted(
                'Tiers',
                'TierWithCount',
                'Tier',
                inService.map(() => '0'),
              ),
              [
                'Vendors',
                [
                  [
                    'VendorWithCount',
                    [
                      ['VendorId', 49],
                      ['VendorName', 'Bandwidth CLEC'],
                      ['Count', inService.length],
                    ],
                  ],
                ],
              ],
            ],
          ],
    ],
  ];
}

/** `<States><StateWithCount><State>NC</State><Count>2</Count></StateWithCount>…` from the numbers' values. */
function counted(list: string, item: string, name: string, values: Array<string | undefined>): XmlNode {
  const counts = new Map<string, number>();
  for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [
    list,
    [...counts].map(([value, count]): XmlNode => [
      item,
      [
        [name, value],
        ['Count', count],
      ],
    ]),
  ];
}

function badQuery(description: string) {
  return numbersError(400, WRAPPER, BAD_QUERY_CODE, description);
}
