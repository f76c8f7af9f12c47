// `npm run bench`: every figure beside the floor it is compared with, measured in the same run,
// printed as one table and written to bench/results/latest.json with the machine description.
// Benchmarks report; nothing gates on them. BENCH_QUICK=1 runs fewer calls (a smoke run).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { notMeasured, type FigureResult } from './figure';
import { describeMachine } from './machine';
import { renderTable } from './table';
import { measureBrowserCall } from './browser-call';
import { measureColdStart } from './cold-start';
import { measureDialpadWeight } from './dialpad-weight';
import { measureRoutingAndSignUp } from './webhook-routing';
import { measureBandwidthRouting } from './bandwidth/bw-routing';

const quick = process.env.BENCH_QUICK === '1';

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const machine = describeMachine();
  const figures: Record<string, FigureResult> = {};
  const started = Date.now();

  // A figure that fails is reported as not measured (with why); the others still run.
  const attempt = async (
    name: string,
    ids: Array<[string, string]>,
    measure: () => Promise<Record<string, FigureResult>>,
  ) => {
    try {
      Object.assign(figures, await measure());
    } catch (error) {
      const why = `failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300);
      log(`  ${name} ${why}`);
      for (const [id, title] of ids) figures[id] = notMeasured(id, title, '', why);
    }
  };

  log('figures 1 and 5: webhook routing and sign-up…');
  await attempt(
    'figures 1 and 5',
    [
      ['1', 'webhook routing'],
      ['5', 'sign-up'],
    ],
    async () =>
      measureRoutingAndSignUp(
        {
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
        },
        log,
      ),
  );

  log('figure 1 on Bandwidth: webhook routing…');
  await attempt('figure 1 (Bandwidth)', [['1b', 'webhook routing (Bandwidth)']], async () =>
    measureBandwidthRouting(
      {
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
      },
      log,
    ),
  );

  log('figure 2: cold start…');
  await attempt('figure 2', [['2', 'cold start']], async () => ({
    coldStart: await measureColdStart(quick ? 3 : 9, log),
  }));

  log('figure 3: dialpad weight…');
  await attempt('figure 3', [['3', 'dialpad weight']], async () => ({ dialpadWeight: await measureDialpadWeight() }));

  log('figure 4: browser call set-up (loopback-only namespace)…');
  await attempt('figure 4', [['4', 'browser call set-up']], async () => ({
    browserCall: await measureBrowserCall(quick ? 3 : 12),
  }));

  const rows = Object.values(figures)
    .flatMap((figure) => figure.rows)
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  process.stdout.write(`${renderTable(rows)}\n`);
  const result = {
    machine,
    quick,
    durationS: Math.round((Date.now() - started) / 1000),
    rows,
    details: mapDetails(figures),
  };
  const outDir = join(__dirname, 'results');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, quick ? 'quick.json' : 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
}

function mapDetails(figures: Record<string, FigureResult>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(figures).map(([name, figure]) => [name, figure.details]));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
