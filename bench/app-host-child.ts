// The app under test in its own process, as the Functions worker would be: the local Functions host
// (dev/local-host.ts) serving the real function modules with the settings the stack computed.
import { startLocalHost } from '../dev/local-host';
import { closeOnSignal, readChildConfig } from './child-process';

async function main(): Promise<void> {
  const { env } = readChildConfig<{ env: Record<string, string> }>();
  const host = await startLocalHost({ port: 0, env, log: () => undefined });
  closeOnSignal(() => host.close());
  process.stdout.write(`READY ${host.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`app host failed: ${String(error)}\n`);
  process.exit(1);
});
