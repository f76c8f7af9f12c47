// Placeholder until the SIP side lands: SIP over WebSocket (RFC 7118) on `${baseUrl}/sip`.
import type { Server } from 'node:http';
import type { SandboxContext } from '../context';
import type { CallNetwork } from '../calls/network';

export interface SipModule {
  close(): Promise<void>;
}

export function attachSip(_options: { ctx: SandboxContext; network: CallNetwork; server: Server }): SipModule {
  return { close: async () => {} };
}
