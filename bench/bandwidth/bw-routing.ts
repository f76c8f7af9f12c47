// Figure 1 on Bandwidth: the app's webhook routing time (`initiate` in → BXML out) at 1, 10 and 50 concurrent calls
// against a bare floor webhook, levels in alternating rounds (floor, app, floor, app…) so machine noise hits both.
// The sandbox plays Bandwidth, the app runs in its own process (as in Azure), reached through a measuring proxy;
// the floor too. In-App calls reach whichever application the sandbox's In-App Calling setting names, so each
// round points it at the side being measured.
import { randomBytes } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { startStack } from '../../dev/stack';
import { callApi } from '../../tests/support/api-client';
import { BENCH_LIMITS } from '../bench-limits';
import { startBenchChild } from '../child-process';
import type { FigureResult, FigureRow } from '../figure';
import { ratio, roundMs, summarize } from '../stats';
import { startTimingProxy } from '../timing-proxy';
import { BandwidthBenchAccount } from './bw-accounts';
import type { BwFloorChildConfig } from './bw-floor-child';
import { floorCallerToken } from './bw-floor-server';
import { driveBwCalls, InitiateTracker, type BwLine, type BwRoutingRun } from './bw-routing-driver';
import { connectInAppClient } from './in-app-client';

export interface BwRoutingOptions {
  lines: number;
  levels: Array<{ concurrency: number; calls: number }>;
  warmUpCalls: number;
}

const GOAL_RATIO = 1.5;
const ROUNDS = 4;
const FLOOR_TABLE = 'benchbwfloor';

interface Side {
  lines: BwLine[];
  applicationId: string;
}

export async function measureBandwidthRouting(
  options: BwRoutingOptions,
  log: (line: string) => void,
): Promise<{ bandwidthRouting: FigureResult }> {
  const appEvents = await startTimingProxy();
  const floorEvents = await startTimingProxy();
  const closers: Array<() => Promise<void>> = [() => appEvents.close(), () => floorEvents.close()];
  try {
    const stack = await startStack({
      provider: 'bandwidth',
      externalApiUrl: appEvents.url,
      env: { PUBLIC_BASE_URL: appEvents.url, ...BENCH_LIMITS },
    });
    closers.unshift(() => stack.stop());
    const appHost = await startBenchChild('app-host-child.ts', { env: stack.env });
    closers.unshift(() => appHost.stop());
    appEvents.setTarget(appHost.url);
    const surface = stack.sandbox!.bandwidth!;
    const account = new BandwidthBenchAccount(surface, stack.sandbox!.baseUrl);
    // The account's default limits (3 calls a second, 30 at once) would measure the limits, not the routing.
    await account.control('PUT', '/settings', { maxConcurrentCalls: 10_000, callsPerSecond: 10_000, orderDelayMs: 20 });

    log('  signing up the app’s lines…');
    const appNumbers: Array<{ number: string; sessionToken: string }> = [];
    for (let i = 0; i < options.lines; i++) {
      const search = await callApi(stack.apiUrl, 'GET', '/api/numbers?areaCode=919&quantity=10');
      const taken = new Set(appNumbers.map((line) => line.number));
      const offer = (search.json.numbers as Array<{ number: string; signature: string }>).find(
        (n) => !taken.has(n.number),
      );
      const number = offer?.number;
      const username = `bench${i}${randomBytes(3).toString('hex')}`;
      // Sign-up orders only a number the search offered, with the signature it came with.
      const created = await callApi(stack.apiUrl, 'POST', '/api/users', {
        body: { username, number, signature: offer?.signature },
      });
      if (created.status !== 201) throw new Error(`sign-up failed: ${created.status} ${JSON.stringify(created.json)}`);
      appNumbers.push({ number: number!, sessionToken: created.json.token as string });
    }
    // Caller tokens live minutes: fetched again before each level.
    const appLines = async (): Promise<BwLine[]> =>
      Promise.all(
        appNumbers.map(async ({ number, sessionToken }) => {
          const issued = await callApi(stack.apiUrl, 'POST', '/api/me/webrtc-token', { token: sessionToken });
          if (issued.status !== 200 || issued.json.provider !== 'bandwidth')
            throw new Error(`webrtc-token: ${issued.status} ${JSON.stringify(issued.json)}`);
          return { number, bearer: issued.json.token, userToUser: `${issued.json.callerToken};encoding=jwt` };
        }),
      );
    const app: Side = { lines: await appLines(), applicationId: await account.applicationOf(appNumbers[0]!.number) };

    log('  setting up the floor…');
    const floor = await setUpFloor(stack.storageConnectionString, stack.env, account, floorEvents.url, options.lines);
    const floorChild = await startBenchChild('bandwidth/bw-floor-child.ts', floor.childConfig);
    closers.unshift(() => floorChild.stop());
    floorEvents.setTarget(floorChild.url);

    const tracker = new InitiateTracker();
    tracker.watch(appEvents);
    tracker.watch(floorEvents);
    const client = await connectInAppClient(surface.gatewayUrl);
    closers.unshift(async () => client.close());

    let callIndex = 0;
    const drive = async (side: Side, concurrency: number, total: number) => {
      await account.control('PUT', '/settings', { inAppCallingApplicationId: side.applicationId });
      const run = await driveBwCalls({
        account,
        client,
        tracker,
        lines: side.lines,
        concurrency,
        total,
        firstCallIndex: callIndex,
        now: () => performance.now(),
      });
      callIndex += total;
      await new Promise((resolve) => setTimeout(resolve, 300)); // let the hang-ups' callbacks drain
      return run;
    };
    log('  warm-up…');
    await drive(floor.side, 5, options.warmUpCalls);
    await drive(app, 5, options.warmUpCalls);

    const levels: Array<{ concurrency: number; floor: BwRoutingRun; app: BwRoutingRun }> = [];
    for (const level of options.levels) {
      app.lines = await appLines();
      const rounds = Math.max(1, Math.min(ROUNDS, Math.floor(level.calls / level.concurrency)));
      log(`  ${level.calls} calls at ${level.concurrency} concurrent, floor and app in ${rounds} alternating rounds…`);
      const floorRuns: BwRoutingRun[] = [];
      const appRuns: BwRoutingRun[] = [];
      for (let round = 0; round < rounds; round++) {
        const calls = Math.floor(level.calls / rounds) + (round < level.calls % rounds ? 1 : 0);
        floorRuns.push(await drive(floor.side, level.concurrency, calls));
        appRuns.push(await drive(app, level.concurrency, calls));
      }
      levels.push({ concurrency: level.concurrency, floor: merge(floorRuns), app: merge(appRuns) });
    }
    return { bandwidthRouting: result(levels) };
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}

export async function setUpFloor(
  storageConnectionString: string,
  env: Record<string, string>,
  account: BandwidthBenchAccount,
  eventsUrl: string,
  count: number,
): Promise<{ side: Side; childConfig: BwFloorChildConfig }> {
  const user = 'bench-floor';
  const password = randomBytes(12).toString('base64url');
  const tokenKey = randomBytes(32).toString('base64url');
  const { applicationId, numbers } = await account.provisionFloor({
    callbackUrl: `${eventsUrl}/initiate`,
    user,
    password,
    areaCode: '984',
    count,
  });
  const table = TableClient.fromConnectionString(storageConnectionString, FLOOR_TABLE, {
    allowInsecureConnection: true,
  });
  await table.createTable();
  for (const [index, number] of numbers.entries()) {
    await table.upsertEntity({ partitionKey: 'line', rowKey: String(index), number });
    await table.upsertEntity({ partitionKey: 'n', rowKey: number, username: `floor${index}` });
  }
  const pubsub = /Endpoint=([^;]+);AccessKey=([^;]+);/.exec(env.WEB_PUBSUB_CONNECTION_STRING ?? '');
  if (!pubsub) throw new Error('no Web PubSub connection string in the stack');
  const bearer = await account.token('webrtc');
  return {
    side: {
      applicationId,
      lines: numbers.map((number, index) => ({
        number,
        bearer,
        userToUser: `${floorCallerToken(index, tokenKey)};encoding=jwt`,
      })),
    },
    childConfig: {
      storageConnectionString,
      tableName: FLOOR_TABLE,
      user,
      password,
      tokenKey,
      webPubSub: { endpoint: pubsub[1]!, accessKey: pubsub[2]!, hub: env.WEB_PUBSUB_HUB ?? 'calls' },
      publicUrl: eventsUrl,
    },
  };
}

function merge(runs: BwRoutingRun[]): BwRoutingRun {
  return {
    latenciesMs: runs.flatMap((run) => run.latenciesMs),
    misrouted: runs.reduce((sum, run) => sum + run.misrouted, 0),
    misroutedAnswers: runs.flatMap((run) => run.misroutedAnswers).slice(0, 3),
    lost: runs.reduce((sum, run) => sum + run.lost, 0),
    wallMs: runs.reduce((sum, run) => sum + run.wallMs, 0),
  };
}

function result(levels: Array<{ concurrency: number; floor: BwRoutingRun; app: BwRoutingRun }>): FigureResult {
  const rows: FigureRow[] = [];
  for (const level of levels) {
    const app = summarize(level.app.latenciesMs);
    const floor = summarize(level.floor.latenciesMs);
    const last = level === levels.at(-1);
    for (const stat of ['p50', 'p99'] as const) {
      const r = ratio(app[stat], floor[stat]);
      const hasGoal = last && stat === 'p99';
      rows.push({
        id: `1b.${level.concurrency}.${stat}`,
        title: `Bandwidth: webhook routing ${stat} @${level.concurrency} concurrent`,
        unit: 'ms',
        measured: roundMs(app[stat]),
        floor: roundMs(floor[stat]),
        floorLabel: 'bare node:http: 1 point read (+ 1 Web PubSub send) + BXML',
        ratio: r,
        goal: hasGoal ? `≤ ${GOAL_RATIO}× floor, 0 misrouted` : '',
        met: hasGoal ? r <= GOAL_RATIO && level.app.misrouted + level.app.lost === 0 : undefined,
        note:
          stat === 'p99'
            ? `${app.count} calls, ${level.app.misrouted} misrouted, ${level.app.lost} lost (floor: ${level.floor.misrouted} misrouted, ${level.floor.lost} lost)`
            : 'initiate in → BXML out; half calls in (park + notify), half In-App calls out (transfer)',
      });
    }
  }
  return {
    rows,
    details: {
      levels: levels.map((level) => ({
        concurrency: level.concurrency,
        app: {
          ...summarize(level.app.latenciesMs),
          misrouted: level.app.misrouted,
          // What the wrong answers were: a limit's <Hangup/>, a routing fault, a 5xx.
          misroutedAnswers: level.app.misroutedAnswers,
          lost: level.app.lost,
          wallMs: level.app.wallMs,
        },
        floor: {
          ...summarize(level.floor.latenciesMs),
          misrouted: level.floor.misrouted,
          lost: level.floor.lost,
          wallMs: level.floor.wallMs,
        },
      })),
    },
  };
}
