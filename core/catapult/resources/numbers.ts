// Available numbers (search, search-and-order; not user-scoped) and the user's phone numbers
// (docs/contracts/catapult-v1.md §5, §6).
import type {
  AllocatePhoneNumberInput,
  AvailableNumber,
  LocalNumberQuery,
  OrderedNumber,
  PhoneNumber,
  PhoneNumberUpdate,
} from '../catapult-api';
import { createdId, readArray, readObject, type CatapultHttp } from '../catapult-http';
import type { Logger } from '../../log';
import { definedOnly } from '../normalise';
import { paginate } from '../paging';
import { buildQuery, pathSegment } from '../query-string';
import { toAvailableNumber, toOrderedNumber, toPhoneNumber } from '../resource-mappers';

function localNumberQuery(query: LocalNumberQuery): string {
  return buildQuery([
    ['areaCode', query.areaCode],
    ['zip', query.zip],
    ['city', query.city],
    ['state', query.state],
    ['localNumber', query.localNumber],
    ['inLocalCallingArea', query.inLocalCallingArea],
    ['pattern', query.pattern],
    ['quantity', query.quantity],
  ]);
}

export function createNumberResources(http: CatapultHttp, logger: Logger) {
  const numberUrl = (idOrNumber: string) => http.userUrl(`/phoneNumbers/${pathSegment(idOrNumber)}`);
  return {
    async searchLocalNumbers(query: LocalNumberQuery): Promise<AvailableNumber[]> {
      const url = http.rootUrl(`/availableNumbers/local${localNumberQuery(query)}`);
      const response = await http.transport.send({ method: 'GET', url, repeatable: true });
      return readArray(response, 'GET').map(toAvailableNumber);
    },

    /** Parameters in the query string, empty body; 201 per the doc, 200 in node's fixture: any 2xx. */
    async orderLocalNumbers(query: LocalNumberQuery): Promise<OrderedNumber[]> {
      const url = http.rootUrl(`/availableNumbers/local${localNumberQuery(query)}`);
      // Not repeatable: a repeat after a lost answer would order (and bill) more numbers.
      const response = await http.transport.send({ method: 'POST', url, repeatable: false });
      return readArray(response, 'POST').map(toOrderedNumber);
    },

    async allocatePhoneNumber(input: AllocatePhoneNumberInput): Promise<{ id: string }> {
      const body = definedOnly({
        number: input.number,
        name: input.name,
        applicationId: input.applicationId,
        fallbackNumber: input.fallbackNumber,
      });
      const response = await http.transport.send({
        method: 'POST',
        url: http.userUrl('/phoneNumbers'),
        body,
        repeatable: false,
      });
      return createdId(response, 'POST');
    },

    async getPhoneNumber(idOrNumber: string): Promise<PhoneNumber> {
      const response = await http.transport.send({ method: 'GET', url: numberUrl(idOrNumber), repeatable: true });
      return toPhoneNumber(readObject(response, 'GET'));
    },

    listPhoneNumbers(
      filter: { applicationId?: string; name?: string; size?: number } = {},
    ): AsyncIterable<PhoneNumber> {
      const query = buildQuery([
        ['applicationId', filter.applicationId],
        ['name', filter.name],
        ['size', filter.size],
      ]);
      return paginate(http, http.userUrl(`/phoneNumbers${query}`), toPhoneNumber, logger);
    },

    /** Setting the same fields twice has the same effect, so this update is repeatable. */
    async updatePhoneNumber(idOrNumber: string, update: PhoneNumberUpdate): Promise<void> {
      const body = definedOnly({
        name: update.name,
        applicationId: update.applicationId,
        fallbackNumber: update.fallbackNumber,
      });
      await http.transport.send({ method: 'POST', url: numberUrl(idOrNumber), body, repeatable: true });
    },

    async deletePhoneNumber(idOrNumber: string): Promise<void> {
      await http.transport.send({ method: 'DELETE', url: numberUrl(idOrNumber), repeatable: true });
    },
  };
}
