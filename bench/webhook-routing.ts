// Figures 1 and 5 on one stack (in-memory Azurite, the sandbox, the local Functions host):
// - 5: sign-ups through the API, their Catapult round trips and wall time (they also create the
//   users the calls go to);
// - 1: the app's webhook routing time at 1, 10 and 50 concurrent calls against the floor server,
//   levels interleaved (floor, app, floor, app…) so machine noise hits both alike.
import { randomBytes } from 'node:crypto';
import { startStack } from '../dev/stack';
import type { FigureResult, FigureRow } from './figure';
import { startBenchChild } from './child-process';
import type { FloorChildConfig } from './floor-child';
import { setUpFloor } from './floor-setup';
import { driveCalls, TransferTracker, type RoutedLine, type RoutingRun } from './routing-driver';
import { SandboxClient } from './sandbox-client';
import { measuredSignUp, type SignUpSample } from './sign-up';
import { median, ratio, roundMs, summarize } from './stats';
import { BENCH_LIMITS } from './bench-limits';
import { startTimingProxy } from './timing-proxy';

export interface RoutingOptions {
  lines: number;
  levels: Array<{ concurrency: number; calls: number }>;
  warmUpCalls: number;
}

const AREA_CODE = '919';
const GOAL_RATIO = 1.5;
const GOAL_ROUND_TRIPS = 4;
/** Rounds per concurrency level. */
const ROUNDS = 4;

interface LevelResult {
  concurrency: number;
  floor: RoutingRun;
  app: RoutingRun;
  /** Table Storage requests per call over the whole level. */
  storagePerCall: { app: number; floor: number };
}

export async function measureRoutingAndSignUp(
  options: RoutingOptions,
  log: (line: string) => void,
): Promise<{
  routing: FigureResult;
  signUp: FigureResult;
}> {
  const appEvents = await startTimingProxy();
  const floorEvents = await startTimingProxy();
  const catapult = await startTimingProxy();
  const storage = await startTimingProxy();
  const closers: Array<() => Promise<void>> = [appEvents, floorEvents, catapult, storage].map(
    (server) => () => server.close(),
  );
  try {
    // The stack runs Azurite and the sandbox here; the app runs in its own process (as in Azure),
    // reached through its events proxy, which is also the API URL the stack hands out.
    const stack = await startStack({
      externalApiUrl: appEvents.url,
      env: {
        PUBLIC_BASE_URL: appEvents.url,
        CATAPULT_API_URL: `${catapult.url}/v1`,
        ...BENCH_LIMITS,
      },
    });
    closers.unshift(() => stack.stop());
    // Table Storage through a proxy too (for the app and the floor alike), to count the storage
    // requests each call makes before its transfer. Shared Key signs the path, not the host.
    const tableEndpoint = /TableEndpoint=(http:\/\/[^/;]+)/.exec(stack.storageConnectionString)?.[1];
    if (!tableEndpoint) throw new Error('no TableEndpoint in the storage connection string');
    storage.setTarget(tableEndpoint);
    const storageConnectionString = stack.storageConnectionString.replace(tableEndpoint, storage.url);
    const appHost = await startBenchChild('app-host-child.ts', {
      env: { ...stack.env, AzureWebJobsStorage: storageConnectionString },
    });
    closers.unshift(() => appHost.stop());
    const sandboxInfo = stack.sandbox!;
    appEvents.setTarget(appHost.url);
    catapult.setTarget(sandboxInfo.baseUrl);
    const sandbox = new SandboxClient(sandboxInfo.baseUrl, sandboxInfo.account);

    log('  sign-ups (figure 5)…');
    const samples: SignUpSample[] = [];
    const appLines: RoutedLine[] = [];
    for (let i = 0; i < options.lines; i++) {
      const username = `bench${i}${randomBytes(3).toString('hex')}`;
      const { user, sample } = await measuredSignUp({
        apiUrl: stack.apiUrl,
        sandbox,
        catapultProxy: catapult,
        storageProxy: storage,
        username,
        areaCode: AREA_CODE,
      });
      samples.push(sample);
      appLines.push({ number: user.number, sipUri: user.sipUri });
    }

    const floorSetup = await setUpFloor({
      sandbox,
      storageConnectionString: stack.storageConnectionString,
      eventsUrl: `${floorEvents.url}/events`,
      lines: options.lines,
      areaCode: '984',
    });
    const floorConfig: FloorChildConfig = {
      storageConnectionString,
      tableName: floorSetup.tableName,
      catapultApiUrl: `${catapult.url}/v1`,
      ...sandboxInfo.account,
      publicUrl: floorEvents.url,
    };
    const floor = await startBenchChild('floor-child.ts', floorConfig);
    closers.unshift(() => floor.stop());
    floorEvents.setTarget(floor.url);

    const tracker = new TransferTracker();
    tracker.watchEvents(appEvents, 'parentCallId=');
    tracker.watchEvents(floorEvents, 'leg=1');
    tracker.watchCatapult(catapult);
    tracker.watchStorage(storage, floorSetup.tableName);

    let callIndex = 0;
    const drive = async (lines: RoutedLine[], concurrency: number, total: number) => {
      // One call at a time means one: the last call's hang-up events are handled before the next.
      const pauseMs = concurrency === 1 ? 150 : 0;
      const run = await driveCalls({ sandbox, tracker, lines, concurrency, total, firstCallIndex: callIndex, pauseMs });
      callIndex += total;
      await new Promise((resolve) => setTimeout(resolve, 300)); // let hang-up events drain between runs
      return run;
    };
    log('  warm-up…');
    await drive(floorSetup.lines, 5, options.warmUpCalls);
    await drive(appLines, 5, options.warmUpCalls);

    const levels: LevelResult[] = [];
    for (const level of options.levels) {
      // In rounds (floor, app, floor, app…), so a burst of load from elsewhere on the machine
      // lands on both rather than on one of them.
      const rounds = Math.max(1, Math.min(ROUNDS, Math.floor(level.calls / level.concurrency)));
      log(`  ${level.calls} calls at ${level.concurrency} concurrent, floor and app in ${rounds} alternating rounds…`);
      const floorRuns: RoutingRun[] = [];
      const appRuns: RoutingRun[] = [];
      const storageBefore = tracker.storageRequestCounts();
      for (let round = 0; round < rounds; round++) {
        // Split exactly: the first rounds take the remainder.
        const calls = Math.floor(level.calls / rounds) + (round < level.calls % rounds ? 1 : 0);
        floorRuns.push(await drive(floorSetup.lines, level.concurrency, calls));
        appRuns.push(await drive(appLines, level.concurrency, calls));
      }
      const storageAfter = tracker.storageRequestCounts();
      // Per call over the whole level, every event of the calls included (hang-ups, transfer legs).
      const perCall = (who: 'app' | 'floor') =>
        Math.round(((storageAfter[who] - storageBefore[who]) / level.calls) * 10) / 10;
      levels.push({
        concurrency: level.concurrency,
        floor: mergeRuns(floorRuns),
        app: mergeRuns(appRuns),
        storagePerCall: { app: perCall('app'), floor: perCall('floor') },
      });
    }
    const floorFailures = ((await (await fetch(`${floor.url}/stats`)).json()) as { failures: number }).failures;
    return { routing: routingResult(levels, floorFailures), signUp: signUpResult(samples) };
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}

function routingResult(levels: LevelResult[], floorFailures: number): FigureResult {
  const rows: FigureRow[] = [];
  const details: Record<string, unknown> = { floorFailures, levels: [] as unknown[] };
  for (const level of levels) {
    const app = summarize(level.app.latenciesMs);
    const floor = summarize(level.floor.latenciesMs);
    const wrong = level.app.misrouted + level.app.lost;
    const last = level === levels[levels.length - 1];
    for (const stat of ['p50', 'p99'] as const) {
      const r = ratio(app[stat], floor[stat]);
      const hasGoal = last && stat === 'p99';
      rows.push({
        id: `1.${level.concurrency}.${stat}`,
        title: `webhook routing ${stat} @${level.concurrency} concurrent`,
        unit: 'ms',
        measured: roundMs(app[stat]),
        floor: roundMs(floor[stat]),
        floorLabel: 'bare node:http, 1 point read + 1 POST',
        ratio: r,
        goal: hasGoal ? `≤ ${GOAL_RATIO}× floor, 0 misrouted` : '',
        met: hasGoal ? r <= GOAL_RATIO && wrong === 0 : undefined,
        note:
          stat === 'p99'
            ? `${app.count} calls, ${level.app.misrouted} misrouted, ${level.app.lost} lost`
            : level.concurrency === 1
              ? `storage requests before the transfer: app ${median(level.app.storageRequests)}, floor ${median(level.floor.storageRequests)} (median)`
              : `storage requests per call, all events: app ${level.storagePerCall.app}, floor ${level.storagePerCall.floor}`,
      });
    }
    (details.levels as unknown[]).push({
      concurrency: level.concurrency,
      app: {
        ...mapValues(app, roundMs),
        storageRequestsBeforeTransferMedian: median(level.app.storageRequests),
        storageRequestsPerCall: level.storagePerCall.app,
        firstCallStorageBeforeTransfer: level.app.firstCallStorage,
        misrouted: level.app.misrouted,
        lost: level.app.lost,
        wallMs: level.app.wallMs,
      },
      floor: {
        ...mapValues(floor, roundMs),
        storageRequestsBeforeTransferMedian: median(level.floor.storageRequests),
        storageRequestsPerCall: level.storagePerCall.floor,
        firstCallStorageBeforeTransfer: level.floor.firstCallStorage,
        misrouted: level.floor.misrouted,
        lost: level.floor.lost,
        wallMs: level.floor.wallMs,
      },
    });
  }
  return { rows, details };
}

function signUpResult(samples: SignUpSample[]): FigureResult {
  const [cold, ...warm] = samples;
  const warmRoundTrips = Math.max(...warm.map((s) => s.criticalPathRoundTrips));
  const wall = median(warm.map((s) => s.wallMs));
  const sum = median(warm.map((s) => s.catapultSumMs));
  const rows: FigureRow[] = [
    {
      id: '5.round-trips',
      title: 'sign-up: Catapult round trips on the critical path',
      unit: 'requests',
      measured: warmRoundTrips,
      floorLabel: '',
      goal: `≤ ${GOAL_ROUND_TRIPS}`,
      met: warmRoundTrips <= GOAL_ROUND_TRIPS,
      note: `max of ${warm.length} sign-ups; ${warm[0]?.catapultRequests ?? 0} requests in all; first sign-up (app bootstrap) ${cold?.criticalPathRoundTrips ?? '?'}`,
    },
    {
      id: '5.wall',
      title: 'sign-up wall time (median)',
      unit: 'ms',
      measured: roundMs(wall),
      floor: roundMs(sum),
      floorLabel: "sum of its Catapult requests' own times",
      ratio: ratio(wall, sum),
      goal: '',
      note:
        `sandbox log sum ${median(warm.map((s) => s.catapultLogSumMs))} ms (whole ms); ` +
        `${median(warm.map((s) => s.storageRequests))} storage requests; ` +
        `first sign-up ${roundMs(cold?.wallMs ?? NaN)} ms vs ${roundMs(cold?.catapultSumMs ?? NaN)} ms`,
    },
  ];
  return { rows, details: { cold, warm } };
}

function mergeRuns(runs: RoutingRun[]): RoutingRun {
  return {
    latenciesMs: runs.flatMap((run) => run.latenciesMs),
    storageRequests: runs.flatMap((run) => run.storageRequests),
    firstCallStorage: runs[0]?.firstCallStorage ?? [],
    misrouted: runs.reduce((sum, run) => sum + run.misrouted, 0),
    lost: runs.reduce((sum, run) => sum + run.lost, 0),
    wallMs: runs.reduce((sum, run) => sum + run.wallMs, 0),
  };
}

function mapValues<T extends object>(object: T, map: (value: number) => number): Record<string, number> {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, map(value as number)]));
}
