// Catapult numbers: search, then allocate THE number with the app's application attached and a name
// marker (`<APP_NAME>:<username>`) in one synchronous request. The marker is how a resumed or rolled-back
// sign-up recognises a number an earlier attempt got when its answer was lost.
import type { CatapultApi } from '../../catapult/catapult-api';
import { AppError } from '../../errors';
import type { NumberOwner, ProviderNumbers } from '../../provider/voice-provider';
import { asCatapultError, catapultStatus, mapCatapultError, setUpGone } from './map-error';
import type { CatapultResources } from './setup';

export function createCatapultNumbers(
  client: CatapultApi,
  resources: () => Promise<CatapultResources>,
): ProviderNumbers {
  /** The id of `number` if it is on the account AND carries our marker; undefined otherwise. */
  const findOwn = async (
    number: string,
    owner: NumberOwner,
  ): Promise<{ id: string; applicationId?: string } | undefined> => {
    try {
      const found = await client.getPhoneNumber(number);
      return found.name === owner.marker && found.numberState !== 'released' ? found : undefined;
    } catch (error) {
      if (catapultStatus(error) === 404) return undefined;
      throw mapCatapultError(error, 'phone number look-up');
    }
  };

  /**
   * Our own number, moved onto the current application when an earlier attempt ordered it for one that has
   * since been re-created (drift repaired meanwhile), so calls to it reach the app.
   */
  const adoptOwn = async (number: string, owner: NumberOwner): Promise<string | undefined> => {
    const own = await findOwn(number, owner);
    if (!own) return undefined;
    const { applicationId } = await resources();
    if (own.applicationId === applicationId) return own.id;
    try {
      await client.updatePhoneNumber(own.id, { applicationId });
    } catch (error) {
      throw mapCatapultError(error, 'number update');
    }
    return own.id;
  };

  return {
    async search(criteria) {
      try {
        const found = await client.searchLocalNumbers(criteria);
        return found.map((n) => ({
          number: n.number,
          nationalNumber: n.nationalNumber,
          city: n.city ?? '',
          state: n.state ?? '',
        }));
      } catch (error) {
        throw mapCatapultError(error, 'number search');
      }
    },

    async order(number, owner) {
      const { applicationId } = await resources();
      try {
        const { id } = await client.allocatePhoneNumber({ number, name: owner.marker, applicationId });
        return { state: 'done', numberRef: id };
      } catch (error) {
        const status = catapultStatus(error);
        if (status === undefined || status === 0 || status === 401 || status === 429 || status >= 500)
          throw mapCatapultError(error, 'number order');
        // The application this instance was given is gone (drift): not the number's fault, and resumable.
        if (asCatapultError(error)?.code === 'application-not-found') throw setUpGone(error);
        // A 4xx: the number is gone, unless an earlier attempt of ours got it and its answer was lost.
        const own = await adoptOwn(number, owner);
        if (own) return { state: 'done', numberRef: own };
        throw new AppError(
          'number-unavailable',
          'That number is no longer available. Search again and pick another.',
          'number',
          { cause: error },
        );
      }
    },

    async awaitOrder(orderRef) {
      return { state: 'done', numberRef: orderRef }; // Catapult orders complete in their request
    },

    async findOrdered(number, owner) {
      const id = await adoptOwn(number, owner);
      return id ? { state: 'done', numberRef: id } : undefined;
    },

    async release(numberRef) {
      try {
        await client.deletePhoneNumber(numberRef);
      } catch (error) {
        if (catapultStatus(error) !== 404) throw mapCatapultError(error, 'number release');
      }
    },
  };
}
