// `npm run sandbox`: the Catapult sandbox on 127.0.0.1, for local development.
// Env: SANDBOX_PORT (default 8088), SANDBOX_SEED, CATAPULT_USER_ID, CATAPULT_API_TOKEN, CATAPULT_API_SECRET.
import { createSandbox } from './server';

async function main(): Promise<void> {
  const env = process.env;
  const port = env.SANDBOX_PORT === undefined ? 8088 : Number(env.SANDBOX_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`SANDBOX_PORT must be a port number, got '${env.SANDBOX_PORT}'`);
  const sandbox = await createSandbox({
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
