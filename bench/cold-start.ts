// Figure 2: cold start = loading every function module and registering it, in a fresh node process,
// timed inside it; floor = a one-function @azure/functions app loaded the same way. Three forms:
// the TypeScript sources through tsx (development), per-file CommonJS (what `npm run build` puts in
// dist/) and the release bundle `npm run package` ships (what Azure runs). Runs are interleaved
// (app, floor, app, floor…) so machine noise hits both alike.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { PROJECT_ROOT, resolveMainFiles } from '../dev/function-registry';
import { BUNDLE_PATH, buildPackage } from '../scripts/package';
import { readZip } from '../scripts/package/zip-reader';
import type { FigureResult, FigureRow } from './figure';
import { median, ratio, roundMs } from './stats';

const run = promisify(execFile);
const GOAL_RATIO = 1.5;
const ONE_FUNCTION = join(__dirname, 'cold-start', 'one-function.ts');
/** Packages the app requires at load time that the one-function app does not. */
const HEAVY_DEPENDENCIES = ['@azure/data-tables', '@azure/storage-blob', 'libphonenumber-js'];

interface Variant {
  name: string;
  app: string[];
  floor: string[];
  nodeArgs: string[];
}

interface LoadSample {
  registered: number;
  loadMs: number;
  sinceProcessStartMs: number;
  /** Module files loaded (the measurer itself included). */
  modules: number;
  packages: string[];
}

export async function measureColdStart(runs: number, log: (line: string) => void): Promise<FigureResult> {
  const scratch = await mkdtemp(join(tmpdir(), 'vra-bench-cold-'));
  try {
    const measurer = join(scratch, 'measure-load.js');
    await build({
      entryPoints: [join(__dirname, 'cold-start', 'measure-load.ts')],
      outfile: measurer,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
    });
    log('  building the per-file and release forms…');
    const variants: Variant[] = [
      { name: 'sources (tsx)', app: resolveMainFiles(false), floor: [ONE_FUNCTION], nodeArgs: ['--import', 'tsx'] },
      await perFileVariant(scratch),
      await releaseVariant(scratch),
    ];
    const rows: FigureRow[] = [];
    const details: Record<string, unknown> = {};
    for (const variant of variants) {
      log(`  ${variant.name}: ${runs} fresh processes each…`);
      const app: LoadSample[] = [];
      const floor: LoadSample[] = [];
      for (let i = 0; i < runs; i++) {
        app.push(await loadOnce(measurer, variant, variant.app));
        floor.push(await loadOnce(measurer, variant, variant.floor));
      }
      const appMs = median(app.map((s) => s.loadMs));
      const floorMs = median(floor.map((s) => s.loadMs));
      const r = ratio(appMs, floorMs);
      rows.push({
        id: `2.${variants.indexOf(variant) + 1}`,
        title: `cold start, ${variant.name} (median)`,
        unit: 'ms',
        measured: roundMs(appMs),
        floor: roundMs(floorMs),
        floorLabel: 'one-function @azure/functions app',
        ratio: r,
        goal: `≤ ${GOAL_RATIO}× floor`,
        met: r <= GOAL_RATIO,
        note: `${app[0]!.registered} functions registered; ${app[0]!.modules} vs ${floor[0]!.modules} module files; since process start ${roundMs(median(app.map((s) => s.sinceProcessStartMs)))} vs ${roundMs(median(floor.map((s) => s.sinceProcessStartMs)))} ms`,
      });
      details[variant.name] = { runs, app, floor };
    }
    // Where the time goes: the heaviest packages the app loads, each alone in a fresh process.
    log('  heavy dependencies alone…');
    const dependencies: Record<string, number> = {};
    for (const name of HEAVY_DEPENDENCIES) {
      const samples: number[] = [];
      for (let i = 0; i < Math.min(runs, 5); i++)
        samples.push((await loadOnce(measurer, { nodeArgs: [] }, [name], false)).loadMs);
      dependencies[name] = roundMs(median(samples));
    }
    details.dependenciesAloneMs = dependencies;
    const perFile = rows.find((row) => row.id === '2.2');
    const perFileSample = (details['per-file CommonJS (dist/)'] as { app: LoadSample[] } | undefined)?.app[0];
    if (perFile && perFileSample) {
      const eager = HEAVY_DEPENDENCIES.filter((name) => perFileSample.packages.includes(name));
      perFile.note +=
        `; packages loaded: ${perFileSample.packages.join(', ') || 'none'}` +
        `; of the heavy ones (alone: ${Object.entries(dependencies)
          .map(([name, ms]) => `${name} ${ms} ms`)
          .join(
            ', ',
          )}) ${eager.length === 0 ? 'none is' : `${eager.join(', ')} ${eager.length === 1 ? 'is' : 'are'}`} loaded at start`;
    }
    return { rows, details };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function loadOnce(
  measurer: string,
  variant: Pick<Variant, 'nodeArgs'>,
  files: string[],
  registers = true,
): Promise<LoadSample> {
  const { stdout } = await run(process.execPath, [...variant.nodeArgs, measurer, ...files], {
    cwd: PROJECT_ROOT,
    // Per-file output lives outside the repo: let its require('@azure/functions') find node_modules.
    env: { ...process.env, NODE_PATH: join(PROJECT_ROOT, 'node_modules') },
    timeout: 60_000,
  });
  const sample = JSON.parse(stdout.trim().split('\n').pop()!) as LoadSample;
  if (registers && sample.registered === 0) throw new Error(`${files.join(' ')}: nothing registered`);
  return sample;
}

/** What tsc writes to dist/: one CommonJS file per source file (esbuild here, into a scratch folder). */
async function perFileVariant(scratch: string): Promise<Variant> {
  const outdir = join(scratch, 'per-file');
  const sources = [
    ...(await listTs(join(PROJECT_ROOT, 'functions'))),
    ...(await listTs(join(PROJECT_ROOT, 'core'))),
    ONE_FUNCTION,
  ];
  await build({
    entryPoints: sources,
    outdir,
    outbase: PROJECT_ROOT,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
  const compiled = (file: string) => join(outdir, relative(PROJECT_ROOT, file)).replace(/\.ts$/, '.js');
  return {
    name: 'per-file CommonJS (dist/)',
    app: resolveMainFiles(false).map(compiled),
    floor: [compiled(ONE_FUNCTION)],
    nodeArgs: [],
  };
}

/** The release zip's bundle, and the one-function app bundled with the same esbuild settings. */
async function releaseVariant(scratch: string): Promise<Variant> {
  const zipFile = join(scratch, 'release.zip');
  await buildPackage({ outFile: zipFile });
  // Unpacked as Azure would: dist/app.js plus the lazily loaded files beside it (dist/lazy/…).
  const root = join(scratch, 'release');
  const entries = readZip(await readFile(zipFile));
  for (const entry of entries.filter((e) => e.path.startsWith('dist/'))) {
    await mkdir(dirname(join(root, entry.path)), { recursive: true });
    await writeFile(join(root, entry.path), entry.data);
  }
  const appFile = join(root, BUNDLE_PATH);
  if (!entries.some((entry) => entry.path === BUNDLE_PATH)) throw new Error(`the release zip has no ${BUNDLE_PATH}`);
  const floorFile = join(scratch, 'release', 'one-function.js');
  await build({
    entryPoints: [ONE_FUNCTION],
    outfile: floorFile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@azure/functions-core'],
    minify: true,
    keepNames: true,
    legalComments: 'eof',
    logLevel: 'silent',
  });
  return { name: 'release bundle (npm run package)', app: [appFile], floor: [floorFile], nodeArgs: [] };
}

async function listTs(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}
