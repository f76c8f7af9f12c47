// Drives calls through the sandbox's phone network and times, per call, the `answer` event reaching
// the router (its events proxy) to the transfer request reaching the sandbox (the Catapult proxy).
// Each transfer's target and caller id are checked against what the call should get: a wrong one,
// or none within the deadline, counts as misrouted.
import type { SandboxClient } from './sandbox-client';
import type { TimingProxy } from './timing-proxy';

export interface RoutedLine {
  number: string;
  sipUri: string;
}

export interface RoutingRun {
  latenciesMs: number[];
  /** Per call: Table Storage requests that arrived between the answer and the transfer. */
  storageRequests: number[];
  /** The storage requests between the answer and the transfer of the run's first call (keys elided). */
  firstCallStorage: string[];
  misrouted: number;
  lost: number;
  wallMs: number;
}

interface Transfer {
  at: number;
  transferTo?: string;
  transferCallerId?: string;
}

const TRANSFER_PATH = /\/calls\/(c-[a-z0-9]+)$/;
const TRANSFER_DEADLINE_MS = 10_000;

/** Correlates the events proxy (answer arrivals) and the Catapult proxy (transfers) by call id. */
export class TransferTracker {
  private readonly answers = new Map<string, number>();
  private readonly transfers = new Map<string, Transfer>();
  private readonly waiters = new Map<string, (transfer: Transfer) => void>();
  /** Table Storage requests, in arrival order. */
  private storageArrivals: Array<{ at: number; label: string }> = [];
  private readonly storageTotals = { app: 0, floor: 0 };

  /** `floorTable`: the floor's table name; every other table's requests are the app's. */
  watchStorage(proxy: TimingProxy, floorTable: string): void {
    proxy.onRequest((request) => {
      this.storageTotals[request.url.includes(`/${floorTable}`) ? 'floor' : 'app'] += 1;
      this.storageArrivals.push({ at: request.arrivedAt, label: `${request.method} ${elideKeys(request.url)}` });
    });
  }

  /** Table Storage requests so far, by whose table they went to. */
  storageRequestCounts(): { app: number; floor: number } {
    return { ...this.storageTotals };
  }

  /** Storage requests that arrived in [from, to]; arrivals older than a minute are forgotten. */
  storageRequestsBetween(from: number, to: number): string[] {
    const firstKept = this.storageArrivals.findIndex((entry) => entry.at >= from - 60_000);
    if (firstKept > 0) this.storageArrivals.splice(0, firstKept);
    return this.storageArrivals.filter((entry) => entry.at >= from && entry.at <= to).map((entry) => entry.label);
  }

  watchEvents(proxy: TimingProxy, transferLegMarker: string): void {
    proxy.onRequest((request) => {
      const event = request.json as { eventType?: string; callId?: string } | undefined;
      if (event?.eventType !== 'answer' || !event.callId || request.url.includes(transferLegMarker)) return;
      if (!this.answers.has(event.callId)) this.answers.set(event.callId, request.arrivedAt);
    });
  }

  watchCatapult(proxy: TimingProxy): void {
    proxy.onRequest((request) => {
      const callId = request.method === 'POST' ? TRANSFER_PATH.exec(request.url.split('?')[0]!)?.[1] : undefined;
      const body = request.json as { state?: string; transferTo?: string; transferCallerId?: string } | undefined;
      if (!callId || body?.state !== 'transferring') return;
      const transfer = { at: request.arrivedAt, transferTo: body.transferTo, transferCallerId: body.transferCallerId };
      this.transfers.set(callId, transfer);
      this.waiters.get(callId)?.(transfer);
    });
  }

  async transferOf(callId: string): Promise<{ transfer: Transfer; answeredAt: number } | undefined> {
    const transfer =
      this.transfers.get(callId) ??
      (await new Promise<Transfer | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), TRANSFER_DEADLINE_MS);
        this.waiters.set(callId, (found) => {
          clearTimeout(timer);
          resolve(found);
        });
      }));
    this.waiters.delete(callId);
    const answeredAt = this.answers.get(callId);
    this.transfers.delete(callId);
    this.answers.delete(callId);
    return transfer && answeredAt !== undefined ? { transfer, answeredAt } : undefined;
  }
}

/**
 * `total` calls, `concurrency` at a time (closed loop: each worker places its next call once its
 * last one was transferred and hung up). Even calls come from outside to a line's number and must
 * go to the line's SIP URI with the caller's number; odd calls leave a line's endpoint for an
 * outside number and must go there with the line's number as caller id.
 */
export async function driveCalls(options: {
  sandbox: SandboxClient;
  tracker: TransferTracker;
  lines: readonly RoutedLine[];
  concurrency: number;
  total: number;
  firstCallIndex: number;
  /** Wait after each hang-up, so the previous call's hang-up events do not overlap the next call. */
  pauseMs?: number;
}): Promise<RoutingRun> {
  const run: RoutingRun = {
    latenciesMs: [],
    storageRequests: [],
    firstCallStorage: [],
    misrouted: 0,
    lost: 0,
    wallMs: 0,
  };
  let next = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < options.total) {
      const index = options.firstCallIndex + next++;
      await oneCall(index);
    }
  };
  const oneCall = async (index: number) => {
    const line = options.lines[Math.floor(index / 2) % options.lines.length]!;
    const outside = `+1212555${String(index % 10_000).padStart(4, '0')}`;
    const inbound = index % 2 === 0;
    const callId = inbound
      ? await options.sandbox.inboundCall(outside, line.number)
      : await options.sandbox.endpointCall(line.sipUri, outside);
    const found = await options.tracker.transferOf(callId);
    if (!found) run.lost += 1;
    else {
      run.latenciesMs.push(found.transfer.at - found.answeredAt);
      const storage = options.tracker.storageRequestsBetween(found.answeredAt, found.transfer.at);
      if (run.storageRequests.length === 0) run.firstCallStorage = storage;
      run.storageRequests.push(storage.length);
      const expectedTo = inbound ? line.sipUri : outside;
      const expectedCallerId = inbound ? outside : line.number;
      if (found.transfer.transferTo !== expectedTo || found.transfer.transferCallerId !== expectedCallerId)
        run.misrouted += 1;
    }
    await options.sandbox.hangUp(callId);
    if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  run.wallMs = Date.now() - started;
  return run;
}

/** `/devstoreaccount1/calls(PartitionKey='c-1',RowKey='x')?$filter=…` → `/devstoreaccount1/calls(PartitionKey='…',RowKey='…')`. */
function elideKeys(url: string): string {
  return url.split('?')[0]!.replace(/'[^']*'/g, "'…'");
}
