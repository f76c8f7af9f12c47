// The Bandwidth floor webhook (figure 1) in its own process, like the app's host.
import { TableClient } from '@azure/data-tables';
import { closeOnSignal, readChildConfig } from '../child-process';
import { startBwFloorServer, type BwFloorOptions } from './bw-floor-server';

export type BwFloorChildConfig = Omit<BwFloorOptions, 'table'> & { storageConnectionString: string; tableName: string };

async function main(): Promise<void> {
  const config = readChildConfig<BwFloorChildConfig>();
  const table = TableClient.fromConnectionString(config.storageConnectionString, config.tableName, {
    allowInsecureConnection: true,
  });
  const server = await startBwFloorServer({ ...config, table });
  closeOnSignal(() => server.close());
  process.stdout.write(`READY ${server.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bandwidth floor server failed: ${String(error)}\n`);
  process.exit(1);
});
