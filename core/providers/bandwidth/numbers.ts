// Bandwidth numbers (docs/contracts/bandwidth-v2.md §4–§6): search with city and state; order INTO the app's
// location (its calls then reach the app's application) — asynchronously: the POST answers RECEIVED, the order is
// polled within a bounded time, and a sign-up that outlives the wait keeps the order id and resumes the polling;
// recognise what a crashed sign-up ordered by the order's CustomerOrderId; release with a disconnect order.
import { createHash } from 'node:crypto';
import type { AvailableNumberView } from '../../api-types';
import { AppError } from '../../errors';
import type { Logger } from '../../log';
import type { NumberOrderState, NumberOwner, ProviderNumbers } from '../../provider/voice-provider';
import { formatNational } from '../../users/phone-number';
import { mapBandwidthError } from './map-error';
import type { NumbersApi, OrderSummary, SearchBy } from './numbers-api';
import type { BandwidthResources } from './setup';

export interface BandwidthNumbersDeps {
  api: NumbersApi;
  resources: () => Promise<BandwidthResources>;
  logger: Logger;
  /** How long `awaitOrder` polls, default 20 s (well under the sign-up lease of 45 s). */
  orderWaitMs?: number;
  /** The first pause between polls, doubled up to 2 s; default 250 ms. */
  orderPollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Orders' `Name` (for people in the dashboard) is at most 50 characters (§5.1). */
const MAX_ORDER_NAME = 50;
/**
 * CustomerOrderId: Bandwidth's limit is not published in the sources the app relies on; 40 characters of letters
 * and digits is assumed to be safe (docs/which-platform.md). The marker and the attempt do not fit that raw (a
 * 40-character app name, a 32-character username and an ISO time), so the id is a digest of them: the same sign-up
 * attempt always produces the same id, another attempt (or another user) never does.
 */
export const CUSTOMER_ORDER_ID_LENGTH = 32;

/** The CustomerOrderId of an owner's attempt (hex, 32 characters). */
export function customerOrderId(owner: NumberOwner): string {
  return createHash('sha256')
    .update(`${owner.marker}\n${owner.attempt}`)
    .digest('hex')
    .slice(0, CUSTOMER_ORDER_ID_LENGTH);
}

/** 10 digits for the Numbers API from a NANP E.164 number; anything else cannot be a Bandwidth number here. */
export function toTn(e164: string): string {
  const tn = /^\+1(\d{10})$/.exec(e164)?.[1];
  if (!tn) throw new AppError('invalid-number', 'Bandwidth numbers here are US/Canada numbers (+1…).', 'number');
  return tn;
}

export function fromTn(tn: string): string | undefined {
  const digits = tn.replace(/^\+?1(?=\d{10}$)/, '');
  return /^\d{10}$/.test(digits) ? `+1${digits}` : undefined;
}

export function createBandwidthNumbers(deps: BandwidthNumbersDeps): ProviderNumbers {
  const { api } = deps;
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const orderWaitMs = deps.orderWaitMs ?? 20_000;
  const firstPollMs = deps.orderPollMs ?? 250;

  /** What an order says about `tn`: done, still pending, or failed (the number is not the app's). */
  const outcome = (order: OrderSummary, tn: string): NumberOrderState | 'failed' => {
    if (order.completed.includes(tn)) return { state: 'done', numberRef: order.orderId };
    if (order.status === 'COMPLETE' || order.status === 'PARTIAL' || order.status === 'FAILED') return 'failed';
    return { state: 'pending', orderRef: order.orderId };
  };

  const unavailable = (order: OrderSummary) => {
    deps.logger.info('number order failed', { orderId: order.orderId, codes: order.errors.map((e) => e.code) });
    return new AppError(
      'number-unavailable',
      'That number is no longer available. Search again and pick another.',
      'number',
    );
  };

  /** An earlier order of this owner's attempt that got (or is getting) `tn`, found by its CustomerOrderId. */
  const findOwn = async (tn: string, owner: NumberOwner): Promise<NumberOrderState | undefined> => {
    const orders = await api.findOrders(customerOrderId(owner));
    let pending: NumberOrderState | undefined;
    for (const listed of orders) {
      const order = await api.getOrder(listed.orderId);
      if (order.customerOrderId !== undefined && order.customerOrderId !== customerOrderId(owner)) continue;
      if (!order.requested.includes(tn) && !order.completed.includes(tn)) continue;
      const state = outcome(order, tn);
      if (state === 'failed') continue;
      if (state.state === 'done') {
        // Released since (a rollback's disconnect): not the app's any more.
        return (await api.isInService(tn)) ? state : undefined;
      }
      pending ??= state;
    }
    return pending;
  };

  const pollUntil = async (orderRef: string, tn: string, owner: NumberOwner): Promise<NumberOrderState> => {
    const deadline = now() + orderWaitMs;
    for (let pause = firstPollMs; ; pause = Math.min(pause * 2, 2000)) {
      const order = await api.getOrder(orderRef);
      const state = outcome(order, tn);
      if (state === 'failed') {
        // A retry whose first order's answer was lost orders the number again; this second order fails because
        // the first one got it. Then the number is ours after all.
        const own = await findOwn(tn, owner).catch((error: unknown) => {
          // The order itself failed: without proof that an earlier order of ours got the number, it is not ours.
          deps.logger.warn('could not look for an earlier order of this sign-up', { error: String(error) });
          return undefined;
        });
        if (own?.state === 'done') return own;
        throw unavailable(order);
      }
      if (state.state === 'done') return state;
      if (now() + pause > deadline) return state;
      await sleep(pause);
    }
  };

  return {
    async search(criteria) {
      const by: SearchBy = criteria.areaCode
        ? { areaCode: criteria.areaCode }
        : criteria.zip
          ? { zip: criteria.zip }
          : { city: criteria.city ?? '', state: criteria.state ?? '' };
      try {
        const found = await api.searchAvailable(by, criteria.quantity);
        const views: AvailableNumberView[] = [];
        for (const n of found) {
          const number = fromTn(n.tn);
          if (!number) continue; // not a NANP number: nothing the app could order
          views.push({ number, nationalNumber: formatNational(number), city: n.city ?? '', state: n.state ?? '' });
        }
        return views.slice(0, criteria.quantity);
      } catch (error) {
        throw mapBandwidthError(error, 'number search');
      }
    },

    async order(number, owner) {
      const tn = toTn(number);
      const { siteId, locationId } = await deps.resources();
      try {
        const order = await api.createOrder({
          name: owner.marker.slice(0, MAX_ORDER_NAME),
          customerOrderId: customerOrderId(owner),
          siteId,
          peerId: locationId,
          tns: [tn],
        });
        const state = outcome(order, tn);
        if (state === 'failed') return await pollUntil(order.orderId, tn, owner); // judged there, own order first
        return state;
      } catch (error) {
        throw mapBandwidthError(error, 'number order');
      }
    },

    async awaitOrder(orderRef, number, owner) {
      try {
        return await pollUntil(orderRef, toTn(number), owner);
      } catch (error) {
        throw mapBandwidthError(error, 'number order status');
      }
    },

    async findOrdered(number, owner) {
      try {
        return await findOwn(toTn(number), owner);
      } catch (error) {
        throw mapBandwidthError(error, 'number order look-up');
      }
    },

    async release(_numberRef, number) {
      const tn = toTn(number);
      try {
        if (!(await api.isInService(tn))) return; // already gone
        // Not repeated on a lost answer (a POST creates): a second disconnect of the same number fails inside its
        // order, harmlessly, so a retried rollback may send one.
        const orderId = await api.disconnect({
          name: `release ${tn}`.slice(0, MAX_ORDER_NAME),
          customerOrderId: createHash('sha256')
            .update(`release\n${tn}`)
            .digest('hex')
            .slice(0, CUSTOMER_ORDER_ID_LENGTH),
          tns: [tn],
        });
        deps.logger.info('number released', { disconnectOrderId: orderId });
      } catch (error) {
        throw mapBandwidthError(error, 'number release');
      }
    },
  };
}
