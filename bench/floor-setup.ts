// Sets up the floor's side of figure 1 in the same sandbox account the app uses: its own
// application (events → the floor's proxy), domain, endpoints and numbers, and the Azurite rows
// its one point read finds. Nothing here is shared with the app's resources.
import { randomBytes } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import type { FloorRow } from './floor-webhook-server';
import type { SandboxClient } from './sandbox-client';

export interface FloorLine {
  number: string;
  sipUri: string;
}

export interface FloorSetup {
  tableName: string;
  lines: FloorLine[];
}

const TABLE_NAME = 'benchfloor';

export async function setUpFloor(options: {
  sandbox: SandboxClient;
  storageConnectionString: string;
  eventsUrl: string;
  lines: number;
  areaCode: string;
  /** Where calls to the floor's numbers go; default each line's own endpoint. */
  transferInboundTo?: string;
}): Promise<FloorSetup> {
  const { sandbox } = options;
  const applicationId = await sandbox.create('/users/{u}/applications', {
    name: 'bench floor',
    incomingCallUrl: options.eventsUrl,
    callbackHttpMethod: 'POST',
    autoAnswer: true,
  });
  const domainName = `f${randomBytes(16).toString('hex').slice(0, 14)}`;
  const domainId = await sandbox.create('/users/{u}/domains', { name: domainName, description: 'bench floor' });
  const ordered = (await (
    await sandbox.rest('POST', `/availableNumbers/local?areaCode=${options.areaCode}&quantity=${options.lines}`)
  ).json()) as Array<{ number: string; location: string }>;

  const table = TableClient.fromConnectionString(options.storageConnectionString, TABLE_NAME, {
    allowInsecureConnection: true,
  });
  await table.createTable();
  const lines: FloorLine[] = [];
  for (const [index, { number, location }] of ordered.entries()) {
    const numberId = location.slice(location.lastIndexOf('/') + 1);
    await sandbox.rest('POST', `/users/{u}/phoneNumbers/${numberId}`, { applicationId });
    const name = `floor${index}`;
    const endpointId = await sandbox.create(`/users/{u}/domains/${domainId}/endpoints`, {
      name,
      domainId,
      applicationId,
      credentials: { password: randomBytes(12).toString('hex') },
    });
    const endpoint = (await (
      await sandbox.rest('GET', `/users/{u}/domains/${domainId}/endpoints/${endpointId}`)
    ).json()) as {
      sipUri: string;
    };
    const sipUri = endpoint.sipUri.startsWith('sip:') ? endpoint.sipUri : `sip:${endpoint.sipUri}`;
    await table.upsertEntity<FloorRow>({
      partitionKey: 'n',
      rowKey: number,
      transferTo: options.transferInboundTo ?? sipUri,
    });
    await table.upsertEntity<FloorRow>({ partitionKey: 'e', rowKey: name, number });
    lines.push({ number, sipUri });
  }
  return { tableName: TABLE_NAME, lines };
}
