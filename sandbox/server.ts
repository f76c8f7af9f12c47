// The sandbox's composition root: one node:http server on 127.0.0.1 carrying the Catapult REST
// resources (/v1), the control API (/sandbox) and SIP over WebSocket (/sip). With `platform: 'bandwidth'` the same
// server also plays Bandwidth's current platform (bandwidth/: OAuth, Numbers, Voice, In-App Calling gateway).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mountBandwidth, type BandwidthModule, type BandwidthSurface } from './bandwidth/index';
import type { BandwidthOptions } from './bandwidth/bandwidth-options';
import { attachSip } from './sip/index';
import { mountCalls } from './calls/index';
import type { CallNetwork } from './calls/network';
import type { SandboxAccount, SandboxContext } from './context';
import { Delays } from './faults/delays';
import { FaultRegistry } from './faults/fault-registry';
import { Holds } from './faults/holds';
import { newId, newSecret } from './model/ids';
import { SandboxStore } from './model/sandbox-store';
import { mountControlRoutes } from './rest/control-routes';
import { mountResources } from './rest/mount-resources';
import { RequestLog } from './rest/request-log';
import { SandboxRouter } from './rest/router';

export interface SandboxOptions {
  host?: string; // default 127.0.0.1
  port?: number; // 0 = ephemeral (default)
  account?: Partial<SandboxAccount>; // missing parts are generated
  /** More accounts (complete), e.g. to test that one account cannot touch another's resources. */
  extraAccounts?: SandboxAccount[];
  seed?: string; // inventory seed; same seed, same numbers
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Clock for token expiry and timestamps (epoch ms); tests pass a fake one. */
  now?: () => number;
  /** 'catapult' (default): Catapult v1 only. 'bandwidth': Bandwidth's current platform too (see README). */
  platform?: 'catapult' | 'bandwidth';
  /** Settings of the Bandwidth side (platform 'bandwidth' only). */
  bandwidth?: BandwidthOptions;
}

export interface Sandbox {
  baseUrl: string; // e.g. http://127.0.0.1:8088
  apiUrl: string; // `${baseUrl}/v1`
  websocketUrl: string; // ws://host:port/sip
  account: SandboxAccount;
  /** For in-process tests of the call model and the SIP side. */
  context: SandboxContext;
  platform: 'catapult' | 'bandwidth';
  /** Platform 'bandwidth' only: URLs, credentials and the env the app needs. */
  bandwidth?: BandwidthSurface;
  close(): Promise<void>;
}

/** A sandbox created with `platform: 'bandwidth'`. */
export interface BandwidthSandbox extends Sandbox {
  platform: 'bandwidth';
  bandwidth: BandwidthSurface;
}

export function createSandbox(options: SandboxOptions & { platform: 'bandwidth' }): Promise<BandwidthSandbox>;
export function createSandbox(options?: SandboxOptions): Promise<Sandbox>;

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  const account: SandboxAccount = {
    userId: options.account?.userId ?? newId('u'),
    apiToken: options.account?.apiToken ?? `t-${newSecret()}`,
    apiSecret: options.account?.apiSecret ?? newSecret(),
  };

  // eslint-disable-next-line prefer-const -- set once the port, and so the base URL, is known; until then 503
  let router: SandboxRouter | undefined;
  let bandwidth: BandwidthModule | undefined;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (bandwidth?.router.owns(path)) void bandwidth.router.handle(req, res);
    else if (router) void router.handle(req, res);
    else res.writeHead(503).end();
  });
  await listen(server, host, options.port ?? 0);
  const { port } = server.address() as AddressInfo;
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const baseUrl = `http://${authority}`;

  const store = new SandboxStore(options.seed, now);
  store.accounts.set(account.userId, account);
  for (const extra of options.extraAccounts ?? []) store.accounts.set(extra.userId, { ...extra });
  const faults = new FaultRegistry();
  const requestLog = new RequestLog();
  const delays = new Delays();
  const holds = new Holds();
  router = new SandboxRouter({
    baseUrl,
    findAccountByToken: (t) => store.findAccountByToken(t),
    faults,
    requestLog,
    delays,
    holds,
    now: Date.now,
    log,
  });
  const context: SandboxContext = { baseUrl, router, directory: store, now, log };

  mountControlRoutes(router, { faults, holds, requestLog });
  mountResources(router, { store, baseUrl, now });
  const calls = mountCalls(context);
  if (options.platform === 'bandwidth') {
    bandwidth = mountBandwidth({ server, baseUrl, seed: options.seed, now, log, options: options.bandwidth ?? {} });
  }
  const sip = attachSip({ ctx: context, network: sipNetwork(calls.network, bandwidth), server });
  log('sandbox listening', { baseUrl });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      delays.cancelAll();
      holds.cancelAll();
      await Promise.allSettled([sip.close(), calls.close(), bandwidth?.close()]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    })();
    return closing;
  };
  return {
    baseUrl,
    apiUrl: `${baseUrl}/v1`,
    websocketUrl: `ws://${authority}/sip`,
    account,
    context,
    platform: options.platform ?? 'catapult',
    ...(bandwidth ? { bandwidth: bandwidth.surface } : {}),
    close,
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * What the /sip side (SIP clients and the outside-phone page) calls into. With the Bandwidth side mounted, a call
 * to one of the Bandwidth account's numbers goes to the Voice API's engine (so the page can call a Bandwidth
 * number, e.g. to leave a voicemail), and Bandwidth transfers can ring a registered outside-phone page; everything
 * else stays on the Catapult side as before.
 */
function sipNetwork(catapult: CallNetwork, bandwidth: BandwidthModule | undefined): CallNetwork {
  if (!bandwidth) return catapult;
  const engine = bandwidth.engine;
  return {
    originate: (request) =>
      engine.options.store.findNumber(request.to) ? engine.originate(request) : catapult.originate(request),
    addRinger: (ringer) => {
      catapult.addRinger(ringer);
      engine.addRinger(ringer);
    },
  };
}
