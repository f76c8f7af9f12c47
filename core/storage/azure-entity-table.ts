// EntityTable over Azure Table Storage (Azurite locally). The table is created on first use (idempotent),
// every call has a timeout, conflicts are told apart by HTTP status (RestError.code is undefined for
// single-entity failures, docs/contracts/azure-functions.md §5.2), and anything else is
// AppError('storage-unavailable').
import type { TableServiceClientOptions, TransactionAction } from '@azure/data-tables';
import { AppError } from '../errors';
import type { Logger } from '../log';
import {
  assertSafeKey,
  StorageConflict,
  type Entity,
  type EntityTable,
  type Stored,
  type TableAction,
} from './entity-table';
import type { StorageClientAccess } from './storage-access';

/** A connection string, or the table endpoint and the app's Entra credential (./storage-access.ts). */
export type AzureEntityTableOptions = StorageClientAccess & {
  tableName: string;
  timeoutMs?: number; // per call, default 5000
  logger?: Logger;
};

export function createAzureEntityTable(options: AzureEntityTableOptions): EntityTable {
  const { odata, TableClient } = loadDataTables();
  const clientOptions: TableServiceClientOptions = {
    // Few quick retries: the caller's timeout bounds the whole call anyway.
    retryOptions: { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 500 },
  };
  const client =
    'connectionString' in options
      ? TableClient.fromConnectionString(options.connectionString, options.tableName, {
          ...clientOptions,
          allowInsecureConnection: isPlainHttp(options.connectionString),
        })
      : new TableClient(options.endpoint, options.tableName, options.credential, clientOptions);
  const timeoutMs = options.timeoutMs ?? 5000;
  const name = options.tableName;
  let ready: Promise<void> | undefined;

  const run = async <T>(operation: string, work: (abortSignal: AbortSignal) => Promise<T>): Promise<T> => {
    try {
      if (!ready) {
        ready = client.createTable({ abortSignal: AbortSignal.timeout(timeoutMs) }).then(() => undefined);
        ready.catch(() => (ready = undefined)); // retry creation on the next call
      }
      await ready;
      return await work(AbortSignal.timeout(timeoutMs));
    } catch (error) {
      throw translate(error, name, operation, options.logger);
    }
  };

  return {
    name,
    get: <T extends object>(partitionKey: string, rowKey: string) =>
      run('get', async (abortSignal) => {
        try {
          const row = await client.getEntity(assertSafeKey(partitionKey), assertSafeKey(rowKey), { abortSignal });
          return clean(row) as Stored<T>;
        } catch (error) {
          if (statusOf(error) === 404) return undefined;
          throw error;
        }
      }),
    create: (entity: Entity) =>
      run('create', async (abortSignal) => {
        const result = await client.createEntity(checked(entity), { abortSignal });
        return { etag: result.etag ?? '' };
      }),
    update: (entity: Entity, etag: string) =>
      run('update', async (abortSignal) => {
        const result = await client.updateEntity(checked(entity), 'Merge', { etag, abortSignal });
        return { etag: result.etag ?? '' };
      }),
    delete: (partitionKey: string, rowKey: string, etag: string) =>
      run('delete', async (abortSignal) => {
        try {
          await client.deleteEntity(assertSafeKey(partitionKey), assertSafeKey(rowKey), { etag, abortSignal });
          return true;
        } catch (error) {
          if (statusOf(error) === 404) return false;
          throw error;
        }
      }),
    transact: (actions: TableAction[]) =>
      run('transact', async (abortSignal) => {
        const sdkActions: TransactionAction[] = actions.map((a) =>
          a.kind === 'create'
            ? ['create', checked(a.entity)]
            : a.kind === 'update'
              ? ['update', checked(a.entity), 'Merge', { etag: a.etag }]
              : ['delete', { partitionKey: assertSafeKey(a.partitionKey), rowKey: assertSafeKey(a.rowKey) }],
        );
        await client.submitTransaction(sdkActions, { abortSignal });
      }),
    list: <T extends object>(partitionKey: string, listOptions: { rowKeyPrefix?: string; limit?: number } = {}) =>
      run('list', async (abortSignal) => {
        const prefix = listOptions.rowKeyPrefix ?? '';
        const filter = prefix
          ? odata`PartitionKey eq ${partitionKey} and RowKey ge ${prefix} and RowKey lt ${prefix + '\uffff'}`
          : odata`PartitionKey eq ${partitionKey}`;
        const rows: Array<Stored<T>> = [];
        const limit = listOptions.limit ?? Infinity;
        for await (const row of client.listEntities({ queryOptions: { filter }, abortSignal })) {
          rows.push(clean(row) as Stored<T>);
          if (rows.length >= limit) break;
        }
        return rows;
      }),
  };
}

/**
 * @azure/data-tables, required when the first table is created (the VoiceApp is built on the first
 * request) rather than at module load: it is a large part of the app's cold start (bench figure 2).
 * require() rather than import(): the app is CommonJS and takes every package's "require" build, in
 * the per-file output and the release bundle alike (scripts/package.ts).
 */
function loadDataTables(): typeof import('@azure/data-tables') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start (cold start; see above)
  return require('@azure/data-tables') as typeof import('@azure/data-tables');
}

function isPlainHttp(connectionString: string): boolean {
  return /UseDevelopmentStorage=true|DefaultEndpointsProtocol=http;|TableEndpoint=http:/i.test(connectionString);
}

function checked(entity: Entity): Entity {
  assertSafeKey(entity.partitionKey);
  assertSafeKey(entity.rowKey);
  return Object.fromEntries(Object.entries(entity).filter(([, v]) => v !== undefined)) as Entity;
}

function clean(row: Record<string, unknown>): Record<string, unknown> {
  const { 'odata.metadata': _metadata, timestamp: _timestamp, ...rest } = row;
  return rest;
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error ? Number(error.statusCode) : undefined;
}

function translate(error: unknown, table: string, operation: string, logger?: Logger): Error {
  if (error instanceof AppError || error instanceof StorageConflict) return error;
  const status = statusOf(error);
  if (status === 409) return new StorageConflict('exists', `${table}: the entity already exists`);
  if (status === 412) return new StorageConflict('changed', `${table}: the entity changed`);
  if (status === 404 && operation !== 'list')
    return new StorageConflict('missing', `${table}: the entity does not exist`);
  if (error instanceof Error && error.message.startsWith('Unsafe table key')) return error;
  // Log the kind of failure only: SDK messages can carry request URLs, never the connection string itself.
  logger?.error('storage call failed', {
    table,
    operation,
    status,
    error: error instanceof Error ? error.name : typeof error,
  });
  return new AppError('storage-unavailable', 'Storage is unavailable. Try again shortly.', undefined, { cause: error });
}
