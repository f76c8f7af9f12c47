// `npm run build` for tests, into a temporary app root instead of the repository's dist/, so a test run
// leaves the working tree as it found it and two runs never share (or half-overwrite) one build.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../dev/function-registry';

export interface CompiledApp {
  /** Holds package.json and host.json (copies), dist/ (the build) and node_modules (a link to the repo's). */
  root: string;
  remove(): Promise<void>;
}

export async function buildCompiledApp(): Promise<CompiledApp> {
  const root = await mkdtemp(join(tmpdir(), 'vra-compiled-'));
  try {
    const tsc = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc');
    execFileSync(tsc, ['-p', 'tsconfig.build.json', '--outDir', join(root, 'dist')], {
      cwd: PROJECT_ROOT,
      stdio: 'pipe',
    });
    for (const file of ['package.json', 'host.json']) await copyFile(join(PROJECT_ROOT, file), join(root, file));
    // The compiled modules require their packages as the worker would: from node_modules beside the app.
    await symlink(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}
