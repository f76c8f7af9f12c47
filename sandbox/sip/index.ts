// The sandbox's SIP side: SIP over WebSocket (RFC 7118) on `${baseUrl}/sip`, a registrar for Catapult endpoints
// and outside-phone pages, calls into the call model, a Ringer for registered clients, and the control routes
// GET /sandbox/registrations and GET /sandbox/phone (the outside-phone page).
import type { Server } from 'node:http';
import type { CallNetwork } from '../calls/network';
import type { SandboxContext } from '../context';
import { mountPhonePage } from '../phone-page/phone-page-routes';
import { SipService } from './sip-service';
import { attachSipWebSocket } from './sip-websocket';

export interface SipModule {
  close(): Promise<void>;
}

export interface AttachSipOptions {
  ctx: SandboxContext;
  network: CallNetwork;
  server: Server;
  /** WebSocket keepalive period (default 30 s). */
  pingIntervalMs?: number;
}

export function attachSip(options: AttachSipOptions): SipModule {
  const { ctx, network, server } = options;
  const service = new SipService({
    directory: ctx.directory,
    network,
    hostport: new URL(ctx.baseUrl).host,
    now: ctx.now,
    log: ctx.log,
  });
  const websocket = attachSipWebSocket({
    server,
    service,
    log: ctx.log,
    ...(options.pingIntervalMs ? { pingIntervalMs: options.pingIntervalMs } : {}),
  });
  const open = { auth: 'none' as const, family: 'sandbox' };
  ctx.router.add('GET', '/sandbox/registrations', () => ({ status: 200, body: service.registrations() }), open);
  mountPhonePage(ctx.router);
  return {
    close: async () => {
      service.close();
      await websocket.close();
    },
  };
}
