// A Catapult user's calling identity: a SIP endpoint named after the username on the app's domain, with a
// password the app keeps sealed. Look-ups and clean-ups for sign-up's resume and rollback paths; every
// failure is mapped to an AppError and "already gone" counts as done.
import type { CatapultApi } from '../../catapult/catapult-api';
import type { ProviderIdentities } from '../../provider/voice-provider';
import { catapultStatus, mapCatapultError, setUpGone } from './map-error';
import type { CatapultResources } from './setup';

export function createCatapultIdentities(
  client: CatapultApi,
  resources: () => Promise<CatapultResources>,
): ProviderIdentities {
  const findByName = async (domainId: string, name: string): Promise<string | undefined> => {
    try {
      for await (const endpoint of client.listEndpoints(domainId, { size: 1000 })) {
        if (endpoint.name === name) return endpoint.id;
      }
      return undefined;
    } catch (error) {
      throw mapCatapultError(error, 'endpoint look-up');
    }
  };

  return {
    usesPassword: true,

    /**
     * Creates the user's endpoint; when resuming (or when the name already exists) adopts the existing one
     * and resets its password to the one this sign-up stored.
     */
    async createOrAdopt(name, password, lookFirst) {
      if (password === undefined) throw new Error('A Catapult endpoint needs a password');
      const app = await resources();
      const adopt = async (): Promise<string | undefined> => {
        const id = await findByName(app.domainId, name);
        if (id)
          await client.updateEndpoint(app.domainId, id, { password, applicationId: app.applicationId, enabled: true });
        return id;
      };
      try {
        const existing = lookFirst ? await adopt() : undefined;
        if (existing) return existing;
        try {
          const { id } = await client.createEndpoint(app.domainId, {
            name,
            password,
            applicationId: app.applicationId,
            description: `voice reference app user ${name}`,
            enabled: true,
          });
          return id;
        } catch (error) {
          if (catapultStatus(error) !== 409) throw error;
          const adopted = await adopt();
          if (adopted) return adopted;
          throw error;
        }
      } catch (error) {
        // The domain (or the application) is gone: the set-up this attempt was given is out of date.
        if (catapultStatus(error) === 404) throw setUpGone(error);
        throw mapCatapultError(error, 'endpoint creation');
      }
    },

    async read(_username, ref) {
      if (!ref) throw new Error('A Catapult identity is read by its endpoint id');
      const { domainId } = await resources();
      try {
        const endpoint = await client.getEndpoint(domainId, ref);
        return { ref: endpoint.id, sipUri: endpoint.sipUri, realm: endpoint.credentials.realm };
      } catch (error) {
        throw mapCatapultError(error, 'endpoint read-back');
      }
    },

    async find(name) {
      return findByName((await resources()).domainId, name);
    },

    async delete(ref) {
      const { domainId } = await resources();
      try {
        await client.deleteEndpoint(domainId, ref);
      } catch (error) {
        if (catapultStatus(error) !== 404) throw mapCatapultError(error, 'endpoint deletion');
      }
    },

    async setPassword(ref, password) {
      const { domainId } = await resources();
      try {
        await client.updateEndpoint(domainId, ref, { password });
      } catch (error) {
        throw mapCatapultError(error, 'SIP password reset');
      }
    },
  };
}
