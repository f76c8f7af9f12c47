// A fake of the browser WebSocket the phone's incoming-call channel opens: it records its URL and lets a test
// open it, deliver frames and drop it as the network would.
export class FakeNotificationSocket {
  private readonly listeners = new Map<string, Array<(event: unknown) => void>>();
  closed = false;

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: (event: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.fire('open', {});
  }
  /** One text frame; objects are sent as JSON. */
  deliver(message: unknown): void {
    this.fire('message', { data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  /** The server or the network closed it (an abnormal close). */
  drop(): void {
    this.closed = true;
    this.fire('close', { code: 1006 });
  }
  private fire(type: string, event: unknown): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

/** A WebSocket constructor for the phone, and every socket it opened. */
export function createFakeSockets(): { WebSocket: typeof WebSocket; sockets: FakeNotificationSocket[] } {
  const sockets: FakeNotificationSocket[] = [];
  class Socket extends FakeNotificationSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  return { WebSocket: Socket as unknown as typeof WebSocket, sockets };
}
