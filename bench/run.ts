// `npm run bench`: every figure beside the floor it is compared with, measured in the same run,
// printed as one table and written to bench/results/latest.json with the machine description.
// Benchmarks report; nothing gates on them. BENCH_QUICK=1 runs fewer calls (a smoke run).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FigureResult } from './figure';
import { describeMachine } from './machine';
import { renderTable } from './table';
import { measureBrowserCall } from './browser-call';
import { measureColdStart } from './cold-start';
import { measureDialpadWeight } from './dialpad-weight';
import { measureRoutingAndSignUp } from './webhook-routing';

const quick = process.env.BENCH_QUICK === '1';

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const machine = describeMachine();
  const figures: Record<string, FigureResult> = {};
  const started = Date.now();

  log('figures 1 and 5: webhook routing and sign-up…');
  const { routing, signUp } = await measureRoutingAndSignUp(
    {
      lines: quick ? 3 : 8,
      warmUpCalls: quick ? 10 : 40,
      levels: quick
        ? [{ concurrency: 1, calls: 10 }, { concurrency: 10, calls: 40 }, { concurrency: 50, calls: 100 }]
        : [{ concurrency: 1, calls: 60 }, { concurrency: 10, calls: 300 }, { concurrency: 50, calls: 600 }],
    },
    log,
  );
  figures.routing = routing;
  figures.signUp = signUp;

  log('figure 2: cold start…');
  figures.coldStart = await measureColdStart(quick ? 3 : 9, log);

  log('figure 3: dialpad weight…');
  figures.dialpadWeight = await measureDialpadWeight();

  log('figure 4: browser call set-up (loopback-only namespace)…');
  figures.browserCall = await measureBrowserCall(quick ? 3 : 12);

  const rows = Object.values(figures).flatMap((figure) => figure.rows).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  process.stdout.write(`${renderTable(rows)}\n`);
  const result = { machine, quick, durationS: Math.round((Date.now() - started) / 1000), rows, details: mapDetails(figures) };
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
