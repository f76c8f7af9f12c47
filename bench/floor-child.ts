// The floor webhook server (figure 1) in its own process, like the app's host.
import { TableClient } from '@azure/data-tables';
import { closeOnSignal, readChildConfig } from './child-process';
import { startFloorWebhookServer } from './floor-webhook-server';

export interface FloorChildConfig {
  storageConnectionString: string;
  tableName: string;
  catapultApiUrl: string;
  userId: string;
  apiToken: string;
  apiSecret: string;
  publicUrl: string;
}

async function main(): Promise<void> {
  const config = readChildConfig<FloorChildConfig>();
  const table = TableClient.fromConnectionString(config.storageConnectionString, config.tableName, {
    allowInsecureConnection: true,
  });
  const server = await startFloorWebhookServer({ ...config, table });
  closeOnSignal(() => server.close());
  process.stdout.write(`READY ${server.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`floor server failed: ${String(error)}\n`);
  process.exit(1);
});
