// A parent for the "parent killed with -9" Azurite test: starts Azurite on the given folder, writes one row,
// prints Azurite's pid and waits to be killed.
import { startAzurite } from '../../../../dev/azurite';
import { createAzureEntityTable } from '../../../../core/storage/azure-entity-table';

async function main(): Promise<void> {
  const azurite = await startAzurite({ location: process.argv[2] });
  const table = createAzureEntityTable({ connectionString: azurite.connectionString, tableName: 'orphan' });
  await table.create({ partitionKey: 'p', rowKey: 'r', kept: true });
  process.stdout.write(`${azurite.pids[0]}\n`);
  setInterval(() => undefined, 60_000);
}

void main();
