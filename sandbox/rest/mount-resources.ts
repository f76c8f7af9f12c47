// Registers every Catapult REST resource the sandbox serves, except calls (see ../calls/).
import type { Router } from '../context';
import { mountApplications } from './applications';
import { mountAvailableNumbers } from './available-numbers';
import { mountDomains } from './domains';
import { mountEndpoints } from './endpoints';
import { mountPhoneNumbers } from './phone-numbers';
import type { ResourceDeps } from './resource-deps';

export function mountResources(router: Router, deps: ResourceDeps): void {
  mountAvailableNumbers(router, deps);
  mountPhoneNumbers(router, deps);
  mountApplications(router, deps);
  mountDomains(router, deps);
  mountEndpoints(router, deps);
}
