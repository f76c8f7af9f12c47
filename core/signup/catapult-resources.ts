// Catapult look-ups and clean-ups used by sign-up's resume and rollback paths. Every failure is mapped
// to an AppError; "already gone" counts as done.
import type { CatapultApi } from '../catapult/catapult-api';
import type { AppResources } from '../bootstrap/bootstrap';
import { catapultStatus, mapCatapultError } from '../map-catapult-error';

export class CatapultResources {
  constructor(private readonly catapult: CatapultApi) {}

  /** The id of `number` if it is on the account AND carries our marker; undefined otherwise. */
  async findOwnNumber(number: string, marker: string): Promise<string | undefined> {
    try {
      const found = await this.catapult.getPhoneNumber(number);
      return found.name === marker && found.numberState !== 'released' ? found.id : undefined;
    } catch (error) {
      if (catapultStatus(error) === 404) return undefined;
      throw mapCatapultError(error, 'phone number look-up');
    }
  }

  async findEndpointByName(domainId: string, name: string): Promise<string | undefined> {
    try {
      for await (const endpoint of this.catapult.listEndpoints(domainId, { size: 1000 })) {
        if (endpoint.name === name) return endpoint.id;
      }
      return undefined;
    } catch (error) {
      throw mapCatapultError(error, 'endpoint look-up');
    }
  }

  /**
   * Creates the user's endpoint; when resuming (or when the name already exists) adopts the existing one
   * and resets its password to the one this sign-up stored.
   */
  async createOrAdoptEndpoint(app: AppResources, name: string, password: string, lookFirst: boolean): Promise<string> {
    const adopt = async (): Promise<string | undefined> => {
      const id = await this.findEndpointByName(app.domainId, name);
      if (id)
        await this.catapult.updateEndpoint(app.domainId, id, {
          password,
          applicationId: app.applicationId,
          enabled: true,
        });
      return id;
    };
    try {
      const existing = lookFirst ? await adopt() : undefined;
      if (existing) return existing;
      try {
        const { id } = await this.catapult.createEndpoint(app.domainId, {
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
      throw mapCatapultError(error, 'endpoint creation');
    }
  }

  async deleteEndpoint(domainId: string, endpointId: string): Promise<void> {
    try {
      await this.catapult.deleteEndpoint(domainId, endpointId);
    } catch (error) {
      if (catapultStatus(error) !== 404) throw mapCatapultError(error, 'endpoint deletion');
    }
  }

  async deleteNumber(numberId: string): Promise<void> {
    try {
      await this.catapult.deletePhoneNumber(numberId);
    } catch (error) {
      if (catapultStatus(error) !== 404) throw mapCatapultError(error, 'number release');
    }
  }
}
