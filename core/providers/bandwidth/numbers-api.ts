// The Numbers API requests the app makes (docs/contracts/bandwidth-v2.md §3–§6), each built and read in the
// element structure of @bandwidth/numbers' wire fixtures: searches, orders and their status, in-service look-ups,
// disconnects. Set-up resources (applications, sites, locations, origination) are in numbers-setup-api.ts.
// Telephone numbers are 10 digits here (`tn`); the rest of the app uses E.164.
import { segment, type NumbersHttp } from './numbers-http';
import { NumbersApiError } from './numbers-http';
import { child, children, childText, findDeep, xmlDocument, type XmlElement } from './xml';

export interface AvailableNumber {
  tn: string;
  city?: string;
  state?: string;
  rateCenter?: string;
}

export type SearchBy = { areaCode: string } | { zip: string } | { city: string; state: string };

/** RECEIVED | PROCESSING | COMPLETE | PARTIAL | FAILED | BACKORDERED (§5.1); anything else is kept as given. */
export type OrderStatus = string;

export interface OrderSummary {
  orderId: string;
  status: OrderStatus;
  customerOrderId?: string;
  /** Numbers the order brought to the account (10 digits). */
  completed: string[];
  /** Numbers it asked for (10 digits), for recognising which order was for which number. */
  requested: string[];
  /** Error codes of failed numbers (e.g. 5005: someone else took it). */
  errors: Array<{ code?: string; description?: string; tn?: string }>;
}

export interface OrderListItem {
  orderId: string;
  status?: OrderStatus;
  customerOrderId?: string;
  orderDate?: string;
}

export interface NewOrder {
  name: string; // at most 50 characters
  customerOrderId: string;
  siteId: string;
  peerId: string;
  tns: string[];
}

export interface NumbersApi {
  searchAvailable(by: SearchBy, quantity: number): Promise<AvailableNumber[]>;
  createOrder(order: NewOrder): Promise<OrderSummary>;
  getOrder(orderId: string): Promise<OrderSummary>;
  /** Orders whose CustomerOrderId is exactly `customerOrderId`, newest first. */
  findOrders(customerOrderId: string): Promise<OrderListItem[]>;
  /** True when the number is in service on the account. */
  isInService(tn: string): Promise<boolean>;
  /** A disconnect order for the numbers (asynchronous: Bandwidth completes it later). Returns its id. */
  disconnect(request: { name: string; customerOrderId: string; tns: string[] }): Promise<string>;
}

export function createNumbersApi(http: NumbersHttp): NumbersApi {
  return {
    async searchAvailable(by, quantity) {
      // enableTNDetail: the answer then names each number's city and state (§4), which the sign-up page shows.
      const { xml } = await http({
        method: 'GET',
        path: '/availableNumbers',
        query: { ...by, quantity, enableTNDetail: true },
        repeatable: true,
        operation: 'number search',
      });
      const details = children(child(xml, 'TelephoneNumberDetailList'), 'TelephoneNumberDetail');
      if (details.length > 0) {
        return details.map((d) => ({
          tn: childText(d, 'TelephoneNumber') ?? '',
          ...optional('city', childText(d, 'City')),
          ...optional('state', childText(d, 'State')),
          ...optional('rateCenter', childText(d, 'RateCenter')),
        }));
      }
      // Without detail (the API may ignore the flag): the bare list.
      return children(child(xml, 'TelephoneNumberList'), 'TelephoneNumber').map((n) => ({ tn: n.text.trim() }));
    },

    async createOrder(order) {
      const body = xmlDocument([
        'Order',
        [
          ['Name', order.name],
          ['CustomerOrderId', order.customerOrderId],
          ['SiteId', order.siteId],
          ['PeerId', order.peerId],
          ['PartialAllowed', false],
          [
            'ExistingTelephoneNumberOrderType',
            [['TelephoneNumberList', order.tns.map((tn) => ['TelephoneNumber', tn] as const)]],
          ],
        ],
      ]);
      const response = await http({ method: 'POST', path: '/orders', body, repeatable: false, operation: 'order' });
      return readOrder(response.xml, idFromLocation(response.location), 'order');
    },

    async getOrder(orderId) {
      const { xml } = await http({
        method: 'GET',
        path: `/orders/${segment(orderId)}`,
        repeatable: true,
        operation: 'order status',
      });
      return readOrder(xml, orderId, 'order status');
    },

    async findOrders(customerOrderId) {
      const { xml } = await http({
        method: 'GET',
        path: '/orders',
        query: { customerOrderId, page: 1, size: 100 },
        repeatable: true,
        operation: 'order look-up',
      });
      // <ResponseSelectWrapper><ListOrderIdUserIdDate><OrderIdUserIdDate>… (numbers client fixtures)
      const items = children(
        findDeep(xml, 'ListOrderIdUserIdDate') ?? child(xml, 'ListOrderIdUserIdDate'),
        'OrderIdUserIdDate',
      );
      return items
        .map((item) => ({
          orderId: childText(item, 'orderId') ?? childText(item, 'OrderId') ?? '',
          ...optional('status', childText(item, 'OrderStatus')),
          ...optional('customerOrderId', childText(item, 'CustomerOrderId')),
          ...optional('orderDate', childText(item, 'OrderDate')),
        }))
        .filter((item) => item.orderId !== '' && (item.customerOrderId ?? customerOrderId) === customerOrderId)
        .sort((a, b) => (b.orderDate ?? '').localeCompare(a.orderDate ?? ''));
    },

    async isInService(tn) {
      try {
        await http({
          method: 'GET',
          path: `/inserviceNumbers/${segment(tn)}`,
          repeatable: true,
          operation: 'in-service look-up',
        });
        return true;
      } catch (error) {
        if (error instanceof NumbersApiError && error.status === 404) return false;
        throw error;
      }
    },

    async disconnect(request) {
      const body = xmlDocument([
        'DisconnectTelephoneNumberOrder',
        [
          ['name', request.name],
          ['CustomerOrderId', request.customerOrderId],
          [
            'DisconnectTelephoneNumberOrderType',
            [['TelephoneNumberList', request.tns.map((tn) => ['TelephoneNumber', tn] as const)]],
          ],
        ],
      ]);
      const response = await http({
        method: 'POST',
        path: '/disconnects',
        body,
        repeatable: false,
        operation: 'disconnect order',
      });
      const id =
        childText(child(response.xml, 'orderRequest'), 'id') ??
        childText(findDeep(response.xml, 'orderRequest'), 'id') ??
        idFromLocation(response.location);
      if (!id) throw unreadable('disconnect order');
      return id;
    },
  };
}

/** `<OrderResponse><Order><id/>…</Order><OrderStatus/><CompletedNumbers>…` (fixture `order`, §5.1). */
function readOrder(xml: XmlElement | undefined, knownId: string | undefined, operation: string): OrderSummary {
  const order = child(xml, 'Order');
  const orderId = childText(order, 'id') ?? childText(order, 'OrderId') ?? knownId;
  const status = childText(xml, 'OrderStatus') ?? childText(order, 'OrderStatus');
  if (!orderId || !status) throw unreadable(operation);
  const tnList = child(child(order, 'ExistingTelephoneNumberOrderType'), 'TelephoneNumberList');
  return {
    orderId,
    status,
    ...optional('customerOrderId', childText(order, 'CustomerOrderId')),
    completed: children(child(xml, 'CompletedNumbers'), 'TelephoneNumber').map(
      (n) => childText(n, 'FullNumber') ?? n.text.trim(),
    ),
    requested: children(tnList, 'TelephoneNumber').map((n) => n.text.trim()),
    errors: children(child(xml, 'ErrorList'), 'Error').map((e) => ({
      ...optional('code', childText(e, 'Code')),
      ...optional('description', childText(e, 'Description')),
      ...optional('tn', childText(e, 'TelephoneNumber')),
    })),
  };
}

/** The last path segment of a Location header: the id of what a POST created. */
export function idFromLocation(location: string | undefined): string | undefined {
  const last = location?.split('?')[0]?.split('/').filter(Boolean).at(-1);
  return last ? decodeURIComponent(last) : undefined;
}

export function unreadable(operation: string): NumbersApiError {
  return new NumbersApiError(502, operation, undefined, `${operation}: the answer lacks what was asked for`);
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: string };
}
