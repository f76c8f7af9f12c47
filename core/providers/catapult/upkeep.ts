// What the doctor and the app's upkeep ask Catapult: is the stored application / domain still there, which
// numbers and endpoints exist, and two moves (a number or an endpoint onto the current application). The
// marker `<APP_NAME>:<username>` in a number's name says it is this app's and for whom.
import type { CatapultApi, Endpoint } from '../../catapult/catapult-api';
import type { IdentityAtProvider, NumberAtProvider, ProviderUpkeep, SetupGap } from '../../provider/voice-provider';
import { catapultStatus, mapCatapultError } from './map-error';

export function createCatapultUpkeep(client: CatapultApi, appName: string): ProviderUpkeep {
  const exists = async (read: () => Promise<unknown>, what: string): Promise<boolean> => {
    try {
      await read();
      return true;
    } catch (error) {
      if (catapultStatus(error) === 404) return false;
      throw mapCatapultError(error, what);
    }
  };
  const attached = (applicationId: string | undefined, ours: string | undefined) =>
    !applicationId ? 'none' : applicationId === ours ? 'ours' : 'other';

  return {
    async missingSetup(state) {
      const gaps: SetupGap[] = [];
      const applicationId = state.applicationId ?? '';
      if (!applicationId || !(await exists(() => client.getApplication(applicationId), 'application check')))
        gaps.push({
          code: 'application-missing',
          id: applicationId,
          label: `the application ${applicationId || '(not created yet)'}`,
          forget: ['applicationId', 'webhookFingerprint'],
        });
      const domainId = state.domainId ?? '';
      if (!domainId || !(await exists(() => client.getDomain(domainId), 'domain check')))
        gaps.push({
          code: 'domain-missing',
          id: domainId,
          label: `the SIP domain ${state.domainName ?? ''} (${domainId || 'not created yet'})`,
          forget: ['domainId'],
        });
      return gaps;
    },

    async listNumbers(resources) {
      const prefix = `${appName}:`;
      const found: NumberAtProvider[] = [];
      try {
        for await (const n of client.listPhoneNumbers({ size: 1000 })) {
          if (n.numberState === 'released') continue;
          found.push({
            ref: n.id,
            number: n.number,
            ...(n.name?.startsWith(prefix) ? { markedFor: n.name.slice(prefix.length) } : {}),
            attached: attached(n.applicationId, resources.applicationId),
            ...(n.createdTime ? { orderedAt: n.createdTime } : {}),
          });
        }
      } catch (error) {
        throw mapCatapultError(error, 'phone number list');
      }
      return found;
    },

    async listIdentities(resources) {
      const domainId = resources.domainId;
      if (!domainId) return [];
      const found: IdentityAtProvider[] = [];
      try {
        for await (const endpoint of client.listEndpoints(domainId, { size: 1000 }))
          found.push(identity(endpoint, resources.applicationId));
      } catch (error) {
        if (catapultStatus(error) === 404) return []; // the domain itself is gone: missingSetup says so
        throw mapCatapultError(error, 'endpoint list');
      }
      return found;
    },

    async attachNumber(numberRef, resources) {
      try {
        await client.updatePhoneNumber(numberRef, { applicationId: resources.applicationId });
      } catch (error) {
        throw mapCatapultError(error, 'number update');
      }
    },

    async attachIdentity(identityRef, resources) {
      try {
        await client.updateEndpoint(resources.domainId ?? '', identityRef, { applicationId: resources.applicationId });
      } catch (error) {
        throw mapCatapultError(error, 'endpoint update');
      }
    },
  };

  function identity(endpoint: Endpoint, applicationId: string | undefined): IdentityAtProvider {
    return { ref: endpoint.id, username: endpoint.name, attached: attached(endpoint.applicationId, applicationId) };
  }
}
