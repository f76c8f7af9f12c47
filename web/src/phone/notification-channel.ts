// The incoming-call channel (Bandwidth): a WebSocket the API hands out (`POST /api/me/notifications/negotiate`,
// Azure Web PubSub in production), on which the app announces calls to the user's number as JSON text frames.
// It stays open for the whole session; when it drops it negotiates a new URL (the old token may have expired)
// and reconnects with exponential back-off, so a dialpad that loses its network is reachable again by itself.
import type { CallNotification, NotificationsAccess } from '../../../core/api-types';

export interface NotificationChannelOptions {
  negotiate(): Promise<NotificationsAccess>;
  onNotification(notification: CallNotification): void;
  /** Open (calls can be announced) or not; called on every change. */
  onOpenChange(open: boolean): void;
  WebSocket: new (url: string) => WebSocket;
  /** Back-off between attempts: doubles from `minMs` up to `maxMs`; reset once a connection opens. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface NotificationChannel {
  readonly open: boolean;
  start(): void;
  stop(): void;
}

const MIN_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

export function createNotificationChannel(options: NotificationChannelOptions): NotificationChannel {
  const minDelay = options.minDelayMs ?? MIN_DELAY_MS;
  const maxDelay = options.maxDelayMs ?? MAX_DELAY_MS;
  let socket: WebSocket | undefined;
  let open = false;
  let stopped = false;
  let started = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  function setOpen(next: boolean): void {
    if (open === next) return;
    open = next;
    options.onOpenChange(next);
  }

  function retryLater(): void {
    if (stopped) return;
    // Up to a fifth earlier at random, so dialpads cut off together do not all come back in the same instant.
    const delay = Math.min(maxDelay, minDelay * 2 ** failures) * (1 - Math.random() * 0.2);
    failures += 1;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void connect(), delay);
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    let access: NotificationsAccess;
    try {
      access = await options.negotiate();
    } catch {
      return retryLater(); // a 401 logs the user out through the API client, which stops us
    }
    if (stopped) return;
    let current: WebSocket;
    try {
      current = new options.WebSocket(access.url);
    } catch {
      return retryLater();
    }
    socket = current;
    current.addEventListener('open', () => {
      failures = 0;
      setOpen(true);
    });
    current.addEventListener('message', (event: MessageEvent) => {
      const notification = parseNotification(event.data);
      if (notification) options.onNotification(notification);
    });
    current.addEventListener('close', () => {
      if (socket !== current) return;
      socket = undefined;
      setOpen(false);
      retryLater();
    });
  }

  return {
    get open() {
      return open;
    },
    start() {
      if (started) return;
      started = true;
      void connect();
    },
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      const current = socket;
      socket = undefined;
      current?.close();
      setOpen(false);
    },
  };
}

/** One JSON text frame → a notification the dialpad understands, or undefined (ignored: newer types, garbage). */
export function parseNotification(data: unknown): CallNotification | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  const message = value as Partial<Record<string, unknown>> | null;
  if (typeof message !== 'object' || message === null) return undefined;
  if (message.type === 'voicemail' && typeof message.voicemailId === 'string' && typeof message.from === 'string')
    return { type: 'voicemail', voicemailId: message.voicemailId, from: message.from };
  if (typeof message.callId !== 'string') return undefined;
  if (message.type === 'call-ended') return { type: 'call-ended', callId: message.callId };
  if (
    message.type === 'incoming-call' &&
    typeof message.from === 'string' &&
    typeof message.pickupToken === 'string' &&
    typeof message.expiresAt === 'string'
  ) {
    return {
      type: 'incoming-call',
      callId: message.callId,
      from: message.from,
      pickupToken: message.pickupToken,
      expiresAt: message.expiresAt,
      ...(typeof message.fromUsername === 'string' ? { fromUsername: message.fromUsername } : {}),
    };
  }
  return undefined;
}
