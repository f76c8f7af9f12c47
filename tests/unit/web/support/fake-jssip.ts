// A small fake of the JsSIP surface the phone layer (web/src/phone/) uses: the UA (events, registrator, start/stop,
// register, call) and RTCSession (events, answer, terminate, mute), plus the browser objects a call touches
// (peer connection, audio element). Each records what the phone asked of it; tests fire the events JsSIP would.
import { EventEmitter } from 'node:events';
import type { JsSipLibrary } from '../../../../web/src/phone/phone';

export interface Recorded {
  method: string;
  args: unknown[];
}

export class FakeSession extends EventEmitter {
  readonly calls: Recorded[] = [];
  readonly remote_identity: { uri: { user: string | undefined; toString(): string } };

  constructor(
    readonly id: string,
    remoteUser?: string,
  ) {
    super();
    this.remote_identity = { uri: { user: remoteUser, toString: () => `sip:${remoteUser ?? 'anonymous'}@remote` } };
  }

  answer(options: unknown): void {
    this.calls.push({ method: 'answer', args: [options] });
  }
  terminate(options?: unknown): void {
    this.calls.push({ method: 'terminate', args: [options] });
  }
  mute(options: unknown): void {
    this.calls.push({ method: 'mute', args: [options] });
  }
  unmute(options: unknown): void {
    this.calls.push({ method: 'unmute', args: [options] });
  }
  /** JsSIP emits 'hold' at once (before the re-INVITE's answer), as here. */
  hold(options: unknown): void {
    this.calls.push({ method: 'hold', args: [options] });
    this.emit('hold', { originator: 'local' });
  }
  unhold(options: unknown): void {
    this.calls.push({ method: 'unhold', args: [options] });
    this.emit('unhold', { originator: 'local' });
  }
  /** The recorded calls of one method. */
  made(method: string): unknown[][] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }
}

export interface UaConfig {
  sockets: Array<{ url: string }>;
  uri: string;
  password?: string;
  register: boolean;
  session_timers: boolean;
}

export class FakeUa extends EventEmitter {
  /** Every setExtraHeaders() on the registrator, in order (the REGISTER's headers are the last one). */
  readonly registerHeaders: string[][] = [];
  readonly outgoing: Array<{ target: string; options: OutgoingOptions; session: FakeSession }> = [];
  started = false;
  stopped = false;
  registers = 0;
  connected = false;
  private sessions = 0;

  constructor(readonly config: UaConfig) {
    super();
  }

  registrator() {
    return { setExtraHeaders: (headers: string[]) => void this.registerHeaders.push(headers) };
  }
  start(): void {
    this.started = true;
  }
  stop(): void {
    this.stopped = true;
  }
  register(): void {
    this.registers += 1;
  }
  isConnected(): boolean {
    return this.connected;
  }
  call(target: string, options: OutgoingOptions): FakeSession {
    const session = new FakeSession(`out-${++this.sessions}`);
    this.outgoing.push({ target, options, session });
    return session;
  }

  /** The socket connects (JsSIP emits 'connected'). */
  connect(): void {
    this.connected = true;
    this.emit('connected', {});
  }
  /** A call arrives (JsSIP emits 'newRTCSession' with originator 'remote'). */
  ring(fromUser: string): FakeSession {
    const session = new FakeSession(`in-${++this.sessions}`, fromUser);
    this.emit('newRTCSession', { originator: 'remote', session });
    return session;
  }
}

export interface OutgoingOptions {
  extraHeaders: string[];
  mediaConstraints: unknown;
  pcConfig: unknown;
  eventHandlers: { peerconnection(event: { peerconnection: unknown }): void };
}

/** The fake library and every UA the phone created with it. */
export function createFakeJsSip(): { library: JsSipLibrary; uas: FakeUa[] } {
  const uas: FakeUa[] = [];
  class UA extends FakeUa {
    constructor(config: UaConfig) {
      super(config);
      uas.push(this);
    }
  }
  class WebSocketInterface {
    constructor(readonly url: string) {}
  }
  // The fakes implement only what the phone layer calls; the cast is the seam between the two.
  return { library: { UA, WebSocketInterface } as unknown as JsSipLibrary, uas };
}

/** An RTCPeerConnection as far as the phone uses it: 'track' events and the senders (for DTMF). */
export class FakePeerConnection {
  readonly tones: Array<[string, number, number]> = [];
  iceConnectionState = 'connected';
  /** What getStats() answers: the entries of an RTCStatsReport (cumulative, as the browser's are). */
  stats: Array<Record<string, unknown>> = [];
  getStats(): Promise<{ forEach(callback: (entry: Record<string, unknown>) => void): void }> {
    return Promise.resolve(this.stats);
  }
  /** False when the far end took no telephone-event: a real RTCDTMFSender then throws on insertDTMF. */
  canInsertDTMF = true;
  private readonly trackListeners: Array<(event: unknown) => void> = [];

  addEventListener(type: string, listener: (event: unknown) => void): void {
    if (type === 'track') this.trackListeners.push(listener);
  }
  getSenders() {
    return [
      { track: { kind: 'video' }, dtmf: null },
      {
        track: { kind: 'audio' },
        dtmf: {
          canInsertDTMF: this.canInsertDTMF,
          insertDTMF: (...args: [string, number, number]) => {
            if (!this.canInsertDTMF) throw new Error('InvalidStateError: cannot insert DTMF');
            this.tones.push(args);
          },
        },
      },
    ];
  }
  fireTrack(kind: string, stream: object): void {
    for (const listener of this.trackListeners) listener({ track: { kind }, streams: [stream] });
  }
}

/** The hidden <audio> element remote audio plays through. */
export function fakeAudioElement(): HTMLAudioElement & { plays: number } {
  const audio = {
    srcObject: null as unknown,
    muted: false,
    plays: 0,
    play() {
      audio.plays += 1;
      return Promise.resolve();
    },
  };
  return audio as unknown as HTMLAudioElement & { plays: number };
}
