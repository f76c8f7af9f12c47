// Fakes for the phone layer's unit tests: a JsSIP UA and RTCSession that record what the phone asks of them
// and let a test play the network's part (connected, registered, 180, 200, BYE), and a WebSocket for the
// notification channel. Only what the phone uses is faked.
import type { NotificationsAccess, WebRtcTokenView } from '../../../../core/api-types';
import type { PhoneOptions, PhoneRuntime } from '../../../../web/src/phone/phone';

type Listener = (event: never) => void;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }
  emit(name: string, event: unknown = {}): void {
    for (const listener of this.listeners.get(name) ?? []) (listener as (event: unknown) => void)(event);
  }
}

export class FakeSession extends Emitter {
  static count = 0;
  readonly id = `session-${++FakeSession.count}`;
  terminatedWith: Record<string, unknown> | undefined;
  answeredWith: Record<string, unknown> | undefined;
  muted = false;
  constructor(
    readonly target: string,
    readonly options: { extraHeaders?: string[] } = {},
    readonly remote_identity = { uri: { user: 'caller', toString: () => 'sip:caller@x' } },
  ) {
    super();
  }
  terminate(options: Record<string, unknown> = {}): void {
    this.terminatedWith = options;
    this.emit('ended', { originator: 'local', cause: 'Terminated' });
  }
  answer(options: Record<string, unknown>): void {
    this.answeredWith = options;
  }
  mute(): void {
    this.muted = true;
  }
  unmute(): void {
    this.muted = false;
  }
}

export class FakeUA extends Emitter {
  static instances: FakeUA[] = [];
  registerHeaders: string[] = [];
  /** The registration headers at each register() call. */
  registers: string[][] = [];
  calls: FakeSession[] = [];
  started = false;
  stopped = false;
  connected = false;
  constructor(readonly config: { uri: string; sockets: Array<{ url: string }> }) {
    super();
    FakeUA.instances.push(this);
  }
  start(): void {
    this.started = true;
  }
  stop(): void {
    this.stopped = true;
  }
  register(): void {
    this.registers.push([...this.registerHeaders]);
  }
  registrator() {
    return { setExtraHeaders: (headers: string[]) => void (this.registerHeaders = [...headers]) };
  }
  isConnected(): boolean {
    return this.connected;
  }
  call(target: string, options: { extraHeaders?: string[] }): FakeSession {
    const session = new FakeSession(target, options);
    this.calls.push(session);
    return session;
  }
  /** The network side: socket up, then the REGISTER the phone sends on 'connected' is accepted. */
  connectAndRegister(): void {
    this.connected = true;
    this.emit('connected');
    this.emit('registered');
  }
  /** A call arriving over SIP. */
  receive(session: FakeSession): void {
    this.emit('newRTCSession', { originator: 'remote', session });
  }
}

export class FakeWebSocketInterface {
  constructor(readonly url: string) {}
}

export class FakeWebSocket {
  static instances: FakeWebSocket[] = [];
  private readonly listeners = new Map<string, Array<(event: unknown) => void>>();
  closed = false;
  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }
  addEventListener(name: string, listener: (event: unknown) => void): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
  }
  private fire(name: string, event: unknown = {}): void {
    for (const listener of this.listeners.get(name) ?? []) listener(event);
  }
  open(): void {
    this.fire('open');
  }
  deliver(message: unknown): void {
    this.fire('message', { data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  /** The server or the network closed it. */
  drop(): void {
    this.closed = true;
    this.fire('close', { code: 1006 });
  }
}

export function fakeRuntime(): PhoneRuntime {
  FakeUA.instances = [];
  FakeWebSocket.instances = [];
  return {
    JsSIP: { UA: FakeUA, WebSocketInterface: FakeWebSocketInterface } as unknown as PhoneRuntime['JsSIP'],
    WebSocket: FakeWebSocket as unknown as PhoneRuntime['WebSocket'],
  };
}

export interface FakeApi {
  options: PhoneOptions;
  tokens: WebRtcTokenView[];
  negotiations: number;
  declined: string[];
  /** Answers of the next fetchToken / negotiate calls: an Error rejects. */
  nextTokens: Array<WebRtcTokenView | Error>;
  nextNegotiations: Array<NotificationsAccess | Error>;
  declineFails: boolean;
}

export function fakeApi(user = { username: 'alice', number: '+19195550101' }): FakeApi {
  const api: FakeApi = {
    tokens: [],
    negotiations: 0,
    declined: [],
    nextTokens: [],
    nextNegotiations: [],
    declineFails: false,
    options: {
      fetchToken: async () => {
        const next = api.nextTokens.shift();
        if (!next) throw new Error('no token prepared');
        if (next instanceof Error) throw next;
        api.tokens.push(next);
        return next;
      },
      negotiateNotifications: async () => {
        api.negotiations += 1;
        const next = api.nextNegotiations.shift() ?? {
          url: `ws://127.0.0.1:1/client/hubs/calls?access_token=n${api.negotiations}`,
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        };
        if (next instanceof Error) throw next;
        return next;
      },
      declineCall: async (callId) => {
        api.declined.push(callId);
        if (api.declineFails) throw new Error('network-error');
      },
      user,
      remoteAudio: { srcObject: null, play: async () => undefined } as unknown as HTMLAudioElement,
      iceServers: [],
    },
  };
  return api;
}

export function bandwidthToken(n: number, lifetimeMs = 3_600_000, callerLifetimeMs = 600_000): WebRtcTokenView {
  return {
    provider: 'bandwidth',
    token: `iac-${n}`,
    expiresAt: new Date(Date.now() + lifetimeMs).toISOString(),
    websocketUrl: 'wss://gw.example.test:10081',
    sipDomain: 'gw.example.test',
    callerToken: `caller-${n}`,
    callerTokenExpiresAt: new Date(Date.now() + callerLifetimeMs).toISOString(),
    authorizationHeader: 'Authorization',
  };
}

export function catapultToken(n: number): WebRtcTokenView {
  return {
    provider: 'catapult',
    token: `cat-${n}`,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    sipUri: 'sip:alice-ep@vra.bwapp.bwsip.io',
    websocketUrl: 'wss://webrtc.example.test:10443',
    headerName: 'X-Callsign-Token',
  };
}

/** Lets pending promise callbacks run (the phone awaits its API calls). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => queueMicrotask(resolve));
}
