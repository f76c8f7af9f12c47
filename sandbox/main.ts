// `npm run sandbox`: the Catapult sandbox on 127.0.0.1, for local development; `npm run sandbox -- --bandwidth`
// plays Bandwidth's current platform too and prints the BANDWIDTH_* env the app needs.
// Env: SANDBOX_PORT (default 8088), SANDBOX_SEED, CATAPULT_USER_ID, CATAPULT_API_TOKEN, CATAPULT_API_SECRET;
// with --bandwidth also BANDWIDTH_ACCOUNT_ID, BANDWIDTH_CLIENT_ID/_SECRET, BANDWIDTH_WEBRTC_CLIENT_ID/_SECRET.
import { createSandbox } from './server';

async function main(): Promise<void> {
  const env = process.env;
  const port = env.SANDBOX_PORT === undefined ? 8088 : Number(env.SANDBOX_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`SANDBOX_PORT must be a port number, got '${env.SANDBOX_PORT}'`);
  const bandwidth = process.argv.slice(2).includes('--bandwidth');
  const unknown = process.argv.slice(2).filter((arg) => arg !== '--bandwidth');
  if (unknown.length > 0) throw new Error(`unknown argument(s) ${unknown.join(' ')}; the only option is --bandwidth`);
  const sandbox = await createSandbox({
    ...(bandwidth
      ? {
          platform: 'bandwidth' as const,
          bandwidth: {
            ...(env.BANDWIDTH_ACCOUNT_ID ? { accountId: env.BANDWIDTH_ACCOUNT_ID } : {}),
            ...(env.BANDWIDTH_CLIENT_ID ? { clientId: env.BANDWIDTH_CLIENT_ID } : {}),
            ...(env.BANDWIDTH_CLIENT_SECRET ? { clientSecret: env.BANDWIDTH_CLIENT_SECRET } : {}),
            ...(env.BANDWIDTH_WEBRTC_CLIENT_ID ? { webrtcClientId: env.BANDWIDTH_WEBRTC_CLIENT_ID } : {}),
            ...(env.BANDWIDTH_WEBRTC_CLIENT_SECRET ? { webrtcClientSecret: env.BANDWIDTH_WEBRTC_CLIENT_SECRET } : {}),
          },
        }
      : {}),
    host: '127.0.0.1',
    port,
    ...(env.SANDBOX_SEED ? { seed: env.SANDBOX_SEED } : {}),
    account: {
      ...(env.CATAPULT_USER_ID ? { userId: env.CATAPULT_USER_ID } : {}),
      ...(env.CATAPULT_API_TOKEN ? { apiToken: env.CATAPULT_API_TOKEN } : {}),
      ...(env.CATAPULT_API_SECRET ? { apiSecret: env.CATAPULT_API_SECRET } : {}),
    },
    // Only event names and ids reach this logger; no credentials are ever passed to it.
    log: (message, fields) => console.log(`[sandbox] ${message}`, fields ? JSON.stringify(fields) : ''),
  });
  // A local-only emulator's throwaway credentials: printing them is the point, so the app can be configured.
  console.log(
    [
      `Catapult sandbox ready`,
      `  base URL       ${sandbox.baseUrl}`,
      `  API URL        ${sandbox.apiUrl}   (CATAPULT_API_URL)`,
      `  WebSocket URL  ${sandbox.websocketUrl}   (CATAPULT_SIP_WEBSOCKET_URL)`,
      `  outside phone  ${sandbox.baseUrl}/sandbox/phone   (act as a phone on the simulated network)`,
      `  userId         ${sandbox.account.userId}   (CATAPULT_USER_ID)`,
      `  apiToken       ${sandbox.account.apiToken}   (CATAPULT_API_TOKEN)`,
      `  apiSecret      ${sandbox.account.apiSecret}   (CATAPULT_API_SECRET)`,
    ].join('\n'),
  );
  if (sandbox.bandwidth) {
    console.log(
      [
        `Bandwidth (current platform) on the same port; the app's env:`,
        ...Object.entries(sandbox.bandwidth.env).map(([name, value]) => `  ${name}=${value}`),
        `  control API    ${sandbox.baseUrl}/sandbox/bandwidth/…   (see sandbox/README.md)`,
      ].join('\n'),
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[sandbox] ${signal}: shutting down`);
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('[sandbox] shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('[sandbox] failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
