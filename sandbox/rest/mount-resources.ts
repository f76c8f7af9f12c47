// Registers every Catapult REST resource the sandbox serves, except calls (see ../calls/).
import type { Router } from '../context';
import type { SandboxStore } from '../model/sandbox-store';
import { mountApplications } from './applications';
import { mountAvailableNumbers } from './available-numbers';
import { mountDomains } from './domains';
import { mountEndpoints } from './endpoints';
import { mountPhoneNumbers } from './phone-numbers';

export interface ResourceDeps {
  store: SandboxStore;
  baseUrl: string;
  now: () => number;
}

export function mountResources(router: Router, deps: ResourceDeps): void {
  mountAvailableNumbers(router, deps);
  mountPhoneNumbers(router, deps);
  mountApplications(router, deps);
  mountDomains(router, deps);
  mountEndpoints(router, deps);
}
