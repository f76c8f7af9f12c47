// Applications: /users/{userId}/applications (docs/contracts/catapult-v1.md §7).
import type { Application, ApplicationInput } from '../catapult-api';
import { createdId, readObject, type CatapultHttp } from '../catapult-http';
import type { Logger } from '../../log';
import { definedOnly } from '../normalise';
import { paginate } from '../paging';
import { buildQuery, pathSegment } from '../query-string';
import { toApplication } from '../resource-mappers';

function applicationBody(input: Partial<ApplicationInput>): Record<string, unknown> {
  return definedOnly({
    name: input.name,
    incomingCallUrl: input.incomingCallUrl,
    incomingCallUrlCallbackTimeout: input.incomingCallUrlCallbackTimeout,
    incomingCallFallbackUrl: input.incomingCallFallbackUrl,
    callbackHttpMethod: input.callbackHttpMethod,
    autoAnswer: input.autoAnswer, // a real JSON boolean, never "true"
  });
}

export function createApplicationResources(http: CatapultHttp, logger: Logger) {
  const applicationUrl = (id: string) => http.userUrl(`/applications/${pathSegment(id)}`);
  return {
    async createApplication(input: ApplicationInput): Promise<{ id: string }> {
      const response = await http.transport.send({
        method: 'POST',
        url: http.userUrl('/applications'),
        body: applicationBody(input),
        repeatable: false, // a repeat could create a second application
      });
      return createdId(response, 'POST');
    },

    async getApplication(id: string): Promise<Application> {
      const response = await http.transport.send({ method: 'GET', url: applicationUrl(id), repeatable: true });
      return toApplication(readObject(response, 'GET'));
    },

    listApplications(options: { size?: number } = {}): AsyncIterable<Application> {
      const url = http.userUrl(`/applications${buildQuery([['size', options.size]])}`);
      return paginate(http, url, toApplication, logger);
    },

    async updateApplication(id: string, update: Partial<ApplicationInput>): Promise<void> {
      await http.transport.send({
        method: 'POST',
        url: applicationUrl(id),
        body: applicationBody(update),
        repeatable: true,
      });
    },

    async deleteApplication(id: string): Promise<void> {
      await http.transport.send({ method: 'DELETE', url: applicationUrl(id), repeatable: true });
    },
  };
}
