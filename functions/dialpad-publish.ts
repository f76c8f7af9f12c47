// On every worker start, publish the dialpad bundled in the release (dialpad/ next to host.json) to
// the storage account's static website, with config.json pointing at PUBLIC_BASE_URL and a CSP naming the API's
// and the provider's WebSocket origins. Not awaited:
// a cold start never waits on it, and a failure is only logged (the next start retries). Locally
// (sources, dist/) there is no dialpad/ folder and nothing happens; dev serves web/ itself.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { app } from '@azure/functions';
import { dialpadConnectUrls } from '../core/static-site/dialpad-connect-urls';
import { publishDialpad } from '../core/static-site/publish-dialpad';
import { StaticSiteError } from '../core/static-site/static-site-error';
import { clientAccess, storageAccessFromEnv } from '../core/storage/storage-access';

/** The Function App root: the nearest folder above this file holding host.json (bundle or tsc layout). */
export function findAppRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'host.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

export async function publishBundledDialpad(
  env: Record<string, string | undefined>,
  appRoot: string | undefined,
): Promise<string> {
  const dialpadDir = appRoot && join(appRoot, 'dialpad');
  if (!dialpadDir || !existsSync(join(dialpadDir, 'index.html'))) return 'skipped: no dialpad in this build';
  const storage = storageAccessFromEnv(env);
  const apiBaseUrl = env.PUBLIC_BASE_URL;
  if (!storage || !apiBaseUrl)
    return 'skipped: AzureWebJobsStorage or PUBLIC_BASE_URL is not set (nor AzureWebJobsStorage__accountName)';
  const result = await publishDialpad({
    ...clientAccess(storage, 'blob'),
    apiBaseUrl,
    dialpadDir,
    connectUrls: dialpadConnectUrls(env),
  });
  return `${result.status} (${result.files.length} files)`;
}

app.hook.appStart(() => {
  publishBundledDialpad(process.env, findAppRoot(__dirname)).then(
    (outcome) => console.info(`dialpad-publish: ${outcome}`),
    (error: unknown) => {
      // the code and message only: the cause may carry request details
      const code = error instanceof StaticSiteError ? error.code : 'internal-error';
      console.error(`dialpad-publish failed: ${code}: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
});
