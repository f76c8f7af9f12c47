// npm run package: builds release/voice-reference-app.zip, the file "Deploy to Azure" (onedeploy) installs.
// Same sources → byte-identical zip (fixed timestamps, sorted entries, deterministic esbuild and web builds).
//
// Layout at the zip root (what the Functions host and dialpad-publish expect):
//   host.json                 copied as is
//   package.json              { main: "dist/app.js" }, no dependencies (everything is bundled)
//   dist/app.js               ONE esbuild bundle of the files the repo's "main" glob names, index first:
//                             one file to read and compile at cold start instead of hundreds of modules
//   dist/lazy/*.js            the packages the app requires on first use (LAZY_PACKAGES), one bundle
//                             each, so that their code is not even compiled at cold start
//   dialpad/**                the built dialpad; functions/dialpad-publish.ts uploads it to $web on start
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { build, type Plugin } from 'esbuild';
import { resolveMainFiles } from '../dev/function-registry';
import { buildWeb } from '../web/build';
import { writeZip, type ZipEntry } from './package/zip-writer';

export const PROJECT_ROOT = join(__dirname, '..');
export const DEFAULT_OUT_FILE = join(PROJECT_ROOT, 'release', 'voice-reference-app.zip');
export const BUNDLE_PATH = 'dist/app.js';
export const DIALPAD_DIR = 'dialpad';
/** Provided by the Functions worker at run time (it intercepts the require); never bundled. */
const WORKER_PROVIDED = ['@azure/functions-core'];

/**
 * Packages the app requires on first use, not at module load (the loaders in core/ say why), and the
 * file each is bundled into under dist/lazy/. Inside dist/app.js their ~1.3 MB would be compiled at every
 * cold start although none of it runs then (~50 ms, bench figure 2); beside it, only when first required.
 * Each file is self-contained: the Azure SDKs' shared @azure/core-* packages are in both of theirs.
 */
export const LAZY_PACKAGES: Readonly<Record<string, string>> = {
  '@azure/storage-blob': 'dist/lazy/storage-blob.js',
  '@azure/data-tables': 'dist/lazy/data-tables.js',
  'libphonenumber-js/max': 'dist/lazy/libphonenumber-js-max.js',
  '@simplewebauthn/server': 'dist/lazy/simplewebauthn-server.js',
  '@azure/identity': 'dist/lazy/identity.js',
};

export interface PackageOptions {
  /** Default release/voice-reference-app.zip. */
  outFile?: string;
}

export interface PackageResult {
  outFile: string;
  bytes: number;
  sha256: string;
  entries: string[];
}

export async function buildPackage(options: PackageOptions = {}): Promise<PackageResult> {
  const outFile = options.outFile ?? DEFAULT_OUT_FILE;
  const rootPackage = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    description?: string;
    license?: string;
  };
  const entries: ZipEntry[] = [
    { path: 'host.json', data: await readFile(join(PROJECT_ROOT, 'host.json')) },
    { path: 'package.json', data: Buffer.from(`${JSON.stringify(releasePackageJson(rootPackage), null, 2)}\n`) },
    { path: BUNDLE_PATH, data: await bundleFunctions() },
    ...(await bundleLazyPackages()),
    ...(await buildDialpad()),
  ];
  const zip = writeZip(entries);
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, zip);
  return {
    outFile,
    bytes: zip.length,
    sha256: createHash('sha256').update(zip).digest('hex'),
    entries: entries.map((entry) => entry.path).sort(),
  };
}

export function releasePackageJson(root: { name: string; version: string; description?: string; license?: string }) {
  return {
    name: root.name,
    version: root.version,
    description: root.description,
    license: root.license,
    private: true,
    main: BUNDLE_PATH,
    // the bundle holds every dependency; the worker provides @azure/functions-core
    dependencies: {},
  };
}

/** The files the repo's package.json "main" glob loads, required in the worker's order, as one CJS bundle. */
async function bundleFunctions(): Promise<Buffer> {
  const sources = resolveMainFiles(false).map((file) => `./${relative(PROJECT_ROOT, file).split('\\').join('/')}`);
  if (sources.length === 0) throw new Error('package.json "main" names no function files');
  const result = await build({
    absWorkingDir: PROJECT_ROOT,
    stdin: {
      contents: sources.map((source) => `require(${JSON.stringify(source)});`).join('\n'),
      resolveDir: PROJECT_ROOT,
      sourcefile: 'release-entry.js',
      loader: 'js',
    },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: WORKER_PROVIDED,
    plugins: [requireLazyPackagesBesideBundle, resolveLikeRequire],
    minify: true,
    keepNames: true, // error and class names stay readable in Application Insights
    legalComments: 'eof', // the bundled packages' licence notices travel with their code
    sourcemap: false,
    metafile: false,
    write: false,
    logLevel: 'silent',
  });
  if (result.outputFiles.length !== 1)
    throw new Error(`esbuild produced ${result.outputFiles.length} files, expected 1`);
  return Buffer.from(result.outputFiles[0]!.contents);
}

/** Each of LAZY_PACKAGES as its own CommonJS bundle, with the main bundle's settings. */
async function bundleLazyPackages(): Promise<ZipEntry[]> {
  return Promise.all(
    Object.entries(LAZY_PACKAGES).map(async ([name, path]) => {
      const result = await build({
        absWorkingDir: PROJECT_ROOT,
        stdin: {
          contents: `module.exports = require(${JSON.stringify(name)});`,
          resolveDir: PROJECT_ROOT,
          sourcefile: `${name}-entry.js`,
          loader: 'js',
        },
        bundle: true,
        platform: 'node',
        target: 'node22',
        format: 'cjs',
        external: WORKER_PROVIDED,
        plugins: [resolveLikeRequire],
        minify: true,
        keepNames: true,
        legalComments: 'eof',
        sourcemap: false,
        metafile: false,
        write: false,
        logLevel: 'silent',
      });
      if (result.outputFiles.length !== 1)
        throw new Error(`esbuild produced ${result.outputFiles.length} files for ${name}, expected 1`);
      return { path, data: Buffer.from(result.outputFiles[0]!.contents) };
    }),
  );
}

/** In the main bundle, a require of one of LAZY_PACKAGES becomes a require of its file beside the bundle. */
const requireLazyPackagesBesideBundle: Plugin = {
  name: 'require-lazy-packages-beside-bundle',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
      const path = LAZY_PACKAGES[args.path];
      if (path === undefined) return undefined;
      return { path: `./${posix.relative(posix.dirname(BUNDLE_PATH), path)}`, external: true };
    });
  },
};

/**
 * The app compiles to CommonJS (tsconfig module node16), so at run time every `import` of a package is
 * a require() and Node picks each package's "require" export. esbuild would pick "import" for an import
 * statement, and some ESM builds need import.meta.url, which is empty in a CJS bundle
 * (@azure/storage-common's crc64 calls createRequire(import.meta.url)). Resolve as Node would.
 */
const resolveLikeRequire: Plugin = {
  name: 'resolve-like-require',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind !== 'import-statement' && args.kind !== 'dynamic-import') return undefined;
      if (WORKER_PROVIDED.includes(args.path)) return undefined;
      const resolved = await pluginBuild.resolve(args.path, {
        kind: 'require-call',
        resolveDir: args.resolveDir,
        importer: args.importer,
      });
      if (resolved.errors.length > 0) return undefined; // ESM-only package: esbuild's own resolution
      return {
        path: resolved.path,
        external: resolved.external,
        sideEffects: resolved.sideEffects,
        namespace: resolved.namespace,
      };
    });
  },
};

/** Builds the dialpad into a scratch folder and returns its files under dialpad/. */
async function buildDialpad(): Promise<ZipEntry[]> {
  const scratch = await mkdtemp(join(tmpdir(), 'voice-ref-dialpad-'));
  try {
    const { outDir, files } = await buildWeb({ outDir: scratch, minify: true });
    if (!files.includes('index.html')) throw new Error('the dialpad build has no index.html');
    return Promise.all(
      files.map(async (file) => ({ path: `${DIALPAD_DIR}/${file}`, data: await readFile(join(outDir, file)) })),
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  buildPackage().then(
    (result) => {
      console.log(`${relative(process.cwd(), result.outFile)}: ${result.bytes} bytes, sha256 ${result.sha256}`);
      for (const entry of result.entries) console.log(`  ${entry}`);
    },
    (error: unknown) => {
      console.error(`package failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
