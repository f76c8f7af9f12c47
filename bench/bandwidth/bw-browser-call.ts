// Figure 4 on Bandwidth, run inside the loopback-only namespace by browser-call-child.ts: the dialpad places In-App
// calls to an outside phone the bench answers by hand. Per call:
// - "Call" clicked (the page's clock) → the sandbox creates the transfer leg that rings the far end (its
//   startTime: the same machine clock);
// - the far end answered (the bench's POST, just before it) → the first inbound audio RTP packet at the dialpad.
// The floor: the same dialpad, the same gateway and far end, with the In-App `initiate` answered by a bare webhook
// (one Table point read, <Transfer>) instead of the app: the In-App path without the app's routing.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TableClient } from '@azure/data-tables';
import type { Page } from 'playwright-core';
import type { Stack } from '../../dev/stack';
import { waitFor } from '../../tests/e2e/support/chromium';
import type { BrowserCallSample } from '../browser-call-sample';
import { collectSamples, firstAudioAt, watchFirstAudio, type BrowserCallSamples } from '../browser-call-sampling';
import { BandwidthBenchAccount } from './bw-accounts';

const FAR_END = '+19195550142';

interface LegView {
  id: string;
  origin: string;
  to: string;
  state: string;
  startTime: string;
  /** The simulated phone, once the sandbox has given it the call (null before). */
  farEnd: { state: string } | null;
}

export async function measureBandwidthBrowserCalls(
  stack: Stack,
  dialpad: Page,
  calls: number,
  stops: Array<() => Promise<void>>,
): Promise<BrowserCallSamples> {
  const account = new BandwidthBenchAccount(stack.sandbox!.bandwidth!, stack.sandbox!.baseUrl);
  await account.control('PUT', `/phone-network/numbers/${encodeURIComponent(FAR_END)}`, { behaviour: 'manual' });
  const myNumber = await dialpad.evaluate<string>("JSON.parse(localStorage.getItem('voice-ref.session')).user.number");
  const appApplication = await account.applicationOf(myNumber);
  const floorApplication = await startFloor(stack, account, myNumber, stops);

  return collectSamples(calls, async (side) => {
    await account.control('PUT', '/settings', {
      inAppCallingApplicationId: side === 'app' ? appApplication : floorApplication,
    });
    return oneCall(account, dialpad);
  });
}

/** A bare webhook for the floor's In-App calls: one point read for the caller id, then <Transfer>. */
async function startFloor(
  stack: Stack,
  account: BandwidthBenchAccount,
  callerId: string,
  stops: Array<() => Promise<void>>,
): Promise<string> {
  const table = TableClient.fromConnectionString(stack.storageConnectionString, 'benchbwfloor4', {
    allowInsecureConnection: true,
  });
  await table.createTable();
  await table.upsertEntity({ partitionKey: 'line', rowKey: '0', number: callerId });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { eventType?: string; to?: string };
        if (event.eventType !== 'initiate') {
          res.writeHead(204).end();
          return;
        }
        const row = await table.getEntity<{ number: string }>('line', '0');
        res
          .writeHead(200, { 'Content-Type': 'application/xml' })
          .end(
            `<Response><Transfer transferCallerId="${row.number}"><PhoneNumber>${event.to}</PhoneNumber></Transfer></Response>`,
          );
      })().catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.unshift(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { applicationId } = await account.provisionFloor({
    callbackUrl: `${url}/initiate`,
    user: 'bench-floor',
    password: 'bench-floor-password',
    areaCode: '984',
    count: 1,
  });
  return applicationId;
}

async function oneCall(account: BandwidthBenchAccount, dialpad: Page): Promise<BrowserCallSample> {
  await dialpad.evaluate('globalThis.__clicks = {}');
  const before = new Set((await legs(account)).map((leg) => leg.id));
  await dialpad.getByLabel('Phone number').fill(FAR_END);
  await dialpad.getByRole('button', { name: 'Call', exact: true }).click();
  // The sandbox lists the transfer leg as soon as it exists, before its media offer is made and the far end is
  // given the call: answering in that gap is refused (409 not-simulated). Wait until the far end rings.
  const leg = await waitFor(
    async () => (await legs(account)).find((candidate) => !before.has(candidate.id) && candidate.farEnd !== null),
    { timeoutMs: 20_000, intervalMs: 5, description: 'the far end ringing' },
  );
  const clickedAt = await dialpad.evaluate<number>('globalThis.__clicks.Call');
  await watchFirstAudio(dialpad, 'globalThis.__dialpad && globalThis.__dialpad.peerConnection');
  const answeredAt = Date.now();
  await account.control('POST', `/calls/${leg.id}/answer`);
  const audioAt = await firstAudioAt(dialpad);
  await dialpad.getByRole('button', { name: 'Hang up' }).click();
  await dialpad.getByRole('button', { name: 'Call', exact: true }).waitFor({ timeout: 20_000 });
  await waitFor(async () => (await account.control<LegView>('GET', `/calls/${leg.id}`)).state === 'disconnected', {
    timeoutMs: 20_000,
    description: 'the far end hung up',
  });
  return { ringingMs: Date.parse(leg.startTime) - clickedAt, audioMs: audioAt - answeredAt };
}

async function legs(account: BandwidthBenchAccount): Promise<LegView[]> {
  const calls = await account.control<LegView[]>('GET', '/calls');
  return calls.filter((call) => call.origin === 'transfer' && call.to === FAR_END);
}
