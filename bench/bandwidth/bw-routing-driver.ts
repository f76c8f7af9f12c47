// Drives calls at the Bandwidth sandbox and times, per call, the `initiate` callback reaching the webhook (its
// measuring proxy) → the webhook's BXML answer having gone back: on Bandwidth the answer IS the routing decision.
// Half the calls are outside phones calling a line's number (must be parked: <Ring> + <Redirect>), half are
// In-App calls from a line to an outside number (must be <Transfer transferCallerId="line"><PhoneNumber>). A wrong
// answer counts as misrouted; none within the deadline as lost.
import type { ProxiedRequest, TimingProxy } from '../timing-proxy';
import type { BandwidthBenchAccount } from './bw-accounts';
import type { InAppBenchClient } from './in-app-client';

export interface BwLine {
  number: string;
  /** What an In-App call from this line carries: the bearer token and the User-to-User value. */
  bearer: string;
  userToUser: string;
}

export interface BwRoutingRun {
  latenciesMs: number[];
  misrouted: number;
  /** The first few wrong answers (the BXML, or what was missing), so a report can say what went wrong. */
  misroutedAnswers: string[];
  lost: number;
  wallMs: number;
}

const DEADLINE_MS = 10_000;

/** Remembers every `initiate` a webhook proxy saw, by the callee (In-App calls) and by call id (calls in). */
export class InitiateTracker {
  private readonly byTo = new Map<string, ProxiedRequest>();
  private readonly byCallId = new Map<string, ProxiedRequest>();

  watch(proxy: TimingProxy): void {
    proxy.onRequest((request) => {
      const event = request.json as { eventType?: string; callId?: string; to?: string } | undefined;
      if (event?.eventType !== 'initiate') return;
      if (event.to) this.byTo.set(event.to, request);
      if (event.callId) this.byCallId.set(event.callId, request);
    });
  }

  /** The answered `initiate` found by `find`, once its answer has gone back; undefined after the deadline. */
  async answered(find: () => ProxiedRequest | undefined): Promise<ProxiedRequest | undefined> {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const request = find();
      if (request && request.answeredAt > 0) return request;
      if (Date.now() > deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  toNumber(to: string, after: number) {
    return () => {
      const request = this.byTo.get(to);
      return request && request.arrivedAt >= after ? request : undefined;
    };
  }

  ofCall(callId: () => string | undefined) {
    return () => {
      const id = callId();
      return id === undefined ? undefined : this.byCallId.get(id);
    };
  }
}

export async function driveBwCalls(input: {
  account: BandwidthBenchAccount;
  client: InAppBenchClient;
  tracker: InitiateTracker;
  lines: BwLine[];
  concurrency: number;
  total: number;
  firstCallIndex: number;
  now: () => number;
}): Promise<BwRoutingRun> {
  const run: BwRoutingRun = { latenciesMs: [], misrouted: 0, misroutedAnswers: [], lost: 0, wallMs: 0 };
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < input.total) {
      const index = input.firstCallIndex + next++;
      const line = input.lines[index % input.lines.length]!;
      // 555-01xx numbers are never in the inventory: outside phones, unique per call so each initiate is found.
      const outside = `+1919555${String(1000 + (index % 9000)).padStart(4, '0')}`;
      const result = index % 2 === 0 ? await callIn(input, line, outside) : await callOut(input, line, outside);
      if (result === 'lost') run.lost += 1;
      else if (typeof result === 'object') {
        run.misrouted += 1;
        if (run.misroutedAnswers.length < MAX_KEPT_ANSWERS) run.misroutedAnswers.push(result.misrouted);
      } else run.latenciesMs.push(result);
    }
  };
  await Promise.all(Array.from({ length: input.concurrency }, worker));
  run.wallMs = Date.now() - started;
  return run;
}

type CallResult = number | 'lost' | { misrouted: string };

const MAX_KEPT_ANSWERS = 3;

/** An outside phone calls the line: the webhook must park it. */
async function callIn(input: Parameters<typeof driveBwCalls>[0], line: BwLine, outside: string): Promise<CallResult> {
  let callId: string | undefined;
  const placed = input.account
    .control<{ callId: string }>('POST', '/calls/inbound', {
      from: outside.replace('1919', '1212'),
      to: line.number,
      media: 'none',
    })
    .then((answer) => (callId = answer.callId));
  const request = await input.tracker.answered(input.tracker.ofCall(() => callId));
  await placed.catch(() => undefined);
  if (callId) await input.account.control('POST', `/calls/${callId}/hangup`).catch(() => undefined);
  if (!request) return 'lost';
  const parked = /<Ring\b/.test(request.answerText) && /<Redirect\b/.test(request.answerText);
  return parked
    ? request.answeredAt - request.arrivedAt
    : { misrouted: `call in to ${line.number}: ${request.status} ${request.answerText.slice(0, 300)}` };
}

/** The line places an In-App call to an outside number: the webhook must transfer it with the line's number. */
async function callOut(input: Parameters<typeof driveBwCalls>[0], line: BwLine, outside: string): Promise<CallResult> {
  const after = input.now();
  const call = input.client.call(outside, line.bearer, line.userToUser);
  const request = await input.tracker.answered(input.tracker.toNumber(outside, after));
  const final = await Promise.race([
    call.final,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), DEADLINE_MS)),
  ]);
  if (final && final.status < 300) call.hangUp();
  if (!request) return 'lost';
  const bxml = request.answerText;
  const routed =
    /<Transfer\b/.test(bxml) &&
    bxml.includes(`transferCallerId="${line.number}"`) &&
    new RegExp(`<PhoneNumber[^>]*>\\s*\\${outside}\\s*</PhoneNumber>`).test(bxml);
  return routed
    ? request.answeredAt - request.arrivedAt
    : { misrouted: `call out from ${line.number} to ${outside}: ${request.status} ${bxml.slice(0, 300)}` };
}
