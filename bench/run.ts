// `npm run bench`: every figure beside the floor it is compared with, measured in the same run,
// printed as one table and written to bench/results/latest.json with the machine description.
// Benchmarks report; nothing gates on them. BENCH_QUICK=1 runs fewer calls (a smoke run).
// `npm run bench -- --only 4b` (ids comma-separated) runs only those figures, into results/selected.json: a
// partial run must not replace the full run's latest.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { notMeasured, type FigureResult } from './figure';
import { describeMachine } from './machine';
import { renderTable } from './table';
import { measureBrowserCallOn } from './browser-call';
import { measureColdStart } from './cold-start';
import { measureDialpadWeight } from './dialpad-weight';
import { measureRoutingAndSignUp } from './webhook-routing';
import { measureBandwidthRouting } from './bandwidth/bw-routing';

const quick = process.env.BENCH_QUICK === '1';

type Log = (line: string) => void;

interface FigureRun {
  /** The figures' ids and titles (a figure that fails is reported as not measured under each). */
  ids: Array<[string, string]>;
  label: string;
  measure: (log: Log) => Promise<Record<string, FigureResult>>;
}

/** Figure 1's load, the same on both providers so their rows compare. */
const routingLoad = {
  lines: quick ? 3 : 8,
  warmUpCalls: quick ? 10 : 40,
  levels: quick
    ? [
        { concurrency: 1, calls: 10 },
        { concurrency: 10, calls: 40 },
        { concurrency: 50, calls: 100 },
      ]
    : [
        { concurrency: 1, calls: 60 },
        { concurrency: 10, calls: 300 },
        { concurrency: 50, calls: 600 },
      ],
};
const browserCalls = quick ? 3 : 12;

/** In the order they run. Figures 1 and 5 share one stack, so they run (and are selected) together. */
const FIGURES: FigureRun[] = [
  {
    ids: [
      ['1', 'webhook routing'],
      ['5', 'sign-up'],
    ],
    label: 'figures 1 and 5: webhook routing and sign-up',
    measure: (log) => measureRoutingAndSignUp(routingLoad, log),
  },
  {
    ids: [['1b', 'webhook routing (Bandwidth)']],
    label: 'figure 1 on Bandwidth: webhook routing',
    measure: (log) => measureBandwidthRouting(routingLoad, log),
  },
  {
    ids: [['2', 'cold start']],
    label: 'figure 2: cold start',
    measure: async (log) => ({ coldStart: await measureColdStart(quick ? 3 : 9, log) }),
  },
  {
    ids: [['3', 'dialpad weight']],
    label: 'figure 3: dialpad weight',
    measure: async () => ({ dialpadWeight: await measureDialpadWeight() }),
  },
  {
    ids: [['4', 'browser call set-up']],
    label: 'figure 4: browser call set-up (loopback-only namespace)',
    measure: async () => ({ browserCall: await measureBrowserCallOn('catapult', browserCalls) }),
  },
  {
    ids: [['4b', 'browser call set-up (Bandwidth)']],
    label: 'figure 4 on Bandwidth: browser call set-up (loopback-only namespace)',
    measure: async () => ({ browserCallBandwidth: await measureBrowserCallOn('bandwidth', browserCalls) }),
  },
];

/** `--only 1b,4b` → those ids; undefined (everything) without the option. Unknown ids are an error. */
function selectedIds(args: readonly string[]): Set<string> | undefined {
  const at = args.indexOf('--only');
  const value = at >= 0 ? args[at + 1] : args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  if (at < 0 && value === undefined) return undefined;
  const ids = (value ?? '').split(',').filter(Boolean);
  const known = FIGURES.flatMap((figure) => figure.ids.map(([id]) => id));
  const unknown = ids.filter((id) => !known.includes(id));
  if (ids.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes figure ids from ${known.join(', ')} (comma-separated); got '${value ?? ''}'`);
  }
  return new Set(ids);
}

async function main(): Promise<void> {
  const log: Log = (line) => process.stderr.write(`${line}\n`);
  const only = selectedIds(process.argv.slice(2));
  const machine = describeMachine();
  const figures: Record<string, FigureResult> = {};
  const started = Date.now();

  for (const figure of FIGURES) {
    if (only && !figure.ids.some(([id]) => only.has(id))) continue;
    log(`${figure.label}…`);
    // A figure that fails is reported as not measured (with why); the others still run.
    try {
      Object.assign(figures, await figure.measure(log));
    } catch (error) {
      const why = `failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300);
      log(`  ${figure.label} ${why}`);
      for (const [id, title] of figure.ids) figures[id] = notMeasured(id, title, '', why);
    }
  }

  const rows = Object.values(figures)
    .flatMap((figure) => figure.rows)
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  process.stdout.write(`${renderTable(rows)}\n`);
  const result = {
    machine,
    quick,
    ...(only ? { only: [...only] } : {}),
    durationS: Math.round((Date.now() - started) / 1000),
    rows,
    details: mapDetails(figures),
  };
  const outDir = join(__dirname, 'results');
  await mkdir(outDir, { recursive: true });
  const file = only ? 'selected.json' : quick ? 'quick.json' : 'latest.json';
  await writeFile(join(outDir, file), `${JSON.stringify(result, null, 2)}\n`);
}

function mapDetails(figures: Record<string, FigureResult>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(figures).map(([name, figure]) => [name, figure.details]));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
