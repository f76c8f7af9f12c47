// What every Catapult REST resource module needs. Its own module, so the resources and mount-resources.ts
// (which imports them all) do not import each other.
import type { SandboxStore } from '../model/sandbox-store';

export interface ResourceDeps {
  store: SandboxStore;
  baseUrl: string;
  now: () => number;
}
