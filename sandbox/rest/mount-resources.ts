// Registers every Catapult REST resource the sandbox serves, except calls (see ../calls/).
import type { Router } from '../context';
import type { SandboxStore } from '../model/sandbox-store';

export interface ResourceDeps {
  store: SandboxStore;
  baseUrl: string;
  now: () => number;
}

export function mountResources(_router: Router, _deps: ResourceDeps): void {}
