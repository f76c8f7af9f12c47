// Placeholder until the call model lands: mounts /v1/users/:userId/calls and the /sandbox call control API.
import type { SandboxContext } from '../context';
import { CallRejected, type CallNetwork } from './network';

export interface CallsModule {
  network: CallNetwork;
  close(): Promise<void>;
}

export function mountCalls(_ctx: SandboxContext): CallsModule {
  const network: CallNetwork = {
    originate() {
      throw new CallRejected(503, 'calls are not implemented yet');
    },
    addRinger() {},
  };
  return { network, close: async () => {} };
}
