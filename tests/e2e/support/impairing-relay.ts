// A loopback UDP relay that a test puts between the browser and the far end of ONE call, to impair its media for
// real: packets are dropped, delayed and jittered on their way, so the browser's getStats() sees the loss, the
// jitter and the round trip a bad network gives (nothing is faked in the page). The call is routed through the
// relay by rewriting the SDP of its INVITE and 200 OK as they cross the page's SIP WebSocket (rewriteSipFrame):
// each side is told the relay's address instead of the other's.
//
//   browser ⇄ [socket A] relay [socket B] ⇄ far end
//   the browser is told the far end is at A; the far end is told the browser is at B.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export interface Impairment {
  /** Share of the far end's RTP packets (to the browser) dropped, 0–1. */
  lossRate: number;
  /** Added one-way delay in both directions, ms (STUN and RTCP too, so the round trip grows). */
  delayMs: number;
  /** Random extra delay, 0 to this many ms, on the far end's RTP packets: jitter (and some reordering). */
  jitterMs: number;
}

export interface ImpairingRelay {
  impair(change: Partial<Impairment>): void;
  /** RTP packets dropped so far, and packets relayed each way. */
  readonly counts: { dropped: number; toBrowser: number; toFarEnd: number };
  /** The SDP with its loopback UDP candidate pointing at the relay (the other candidates removed). */
  rewriteOffer: (sdp: string) => string;
  rewriteAnswer: (sdp: string) => string;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

async function bind(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve));
  return socket;
}

/** RTP (not RTCP, not STUN or DTLS): version 2, and a payload type outside RTCP's 200–204 (RFC 5761). */
function isRtp(packet: Buffer): boolean {
  const type = (packet[1] ?? 0) & 0x7f;
  return packet.length > 12 && (packet[0]! & 0xc0) === 0x80 && !(type >= 72 && type <= 76);
}

export async function startImpairingRelay(): Promise<ImpairingRelay> {
  const facingBrowser = await bind(); // A
  const facingFarEnd = await bind(); // B
  let browserPort: number | undefined;
  let farEndPort: number | undefined;
  const impairment: Impairment = { lossRate: 0, delayMs: 0, jitterMs: 0 };
  const counts = { dropped: 0, toBrowser: 0, toFarEnd: 0 };
  let closed = false;

  const later = (ms: number, send: () => void) => (ms > 0 ? setTimeout(send, ms).unref() : send());
  facingBrowser.on('message', (packet: Buffer, from: RemoteInfo) => {
    browserPort = from.port;
    if (farEndPort === undefined) return;
    const port = farEndPort;
    later(impairment.delayMs, () => {
      if (closed) return;
      counts.toFarEnd += 1;
      facingFarEnd.send(packet, port, LOOPBACK);
    });
  });
  facingFarEnd.on('message', (packet: Buffer, from: RemoteInfo) => {
    farEndPort = from.port;
    if (browserPort === undefined) return;
    const port = browserPort;
    const rtp = isRtp(packet);
    if (rtp && Math.random() < impairment.lossRate) {
      counts.dropped += 1;
      return;
    }
    // Each packet waits a random extra while, so packets arrive unevenly (and some out of order, as on a real
    // congested path). Keeping them in order would not do: the latest of many random waits is nearly constant.
    const jitter = rtp ? Math.random() * impairment.jitterMs : 0;
    later(impairment.delayMs + jitter, () => {
      if (closed) return;
      counts.toBrowser += 1;
      facingBrowser.send(packet, port, LOOPBACK);
    });
  });

  /** Keeps the one loopback UDP candidate, at `port`, and remembers where it really was. */
  const pointAt = (sdp: string, port: number, remember: (real: number) => void): string => {
    const lines = sdp.split(/\r\n/);
    const candidate = lines.find((line) => /^a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host/i.test(line));
    if (!candidate) throw new Error(`no loopback UDP candidate in the SDP:\n${sdp}`);
    remember(Number(/ 127\.0\.0\.1 (\d+) /.exec(candidate)![1]));
    return lines
      .filter((line) => !line.startsWith('a=candidate:') || line === candidate)
      .map((line) =>
        line === candidate
          ? line.replace(/ 127\.0\.0\.1 \d+ /, ` ${LOOPBACK} ${port} `)
          : line
              .replace(/^m=audio \d+/, `m=audio ${port}`)
              .replace(/^c=IN IP4 \S+/, `c=IN IP4 ${LOOPBACK}`)
              .replace(/^a=rtcp:\d+ IN IP4 \S+/, `a=rtcp:${port} IN IP4 ${LOOPBACK}`),
      )
      .join('\r\n');
  };

  return {
    counts,
    impair(change) {
      Object.assign(impairment, change);
    },
    rewriteOffer: (sdp) =>
      pointAt(sdp, (facingFarEnd.address() as { port: number }).port, (real) => (browserPort = real)),
    rewriteAnswer: (sdp) =>
      pointAt(sdp, (facingBrowser.address() as { port: number }).port, (real) => (farEndPort = real)),
    async close() {
      closed = true;
      await Promise.all([facingBrowser, facingFarEnd].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}

/**
 * A SIP message with its SDP body replaced by `rewrite(body)` (Content-Length corrected), or unchanged when it
 * has no SDP. For the frames of a page's SIP WebSocket (one SIP message per frame).
 */
export function rewriteSipBody(message: string, rewrite: (sdp: string) => string): string {
  const split = message.indexOf('\r\n\r\n');
  if (split < 0) return message;
  const head = message.slice(0, split);
  const body = message.slice(split + 4);
  if (!/^content-type: *application\/sdp/im.test(head) || body === '') return message;
  const next = rewrite(body);
  return `${head.replace(/^(content-length|l): *\d+/im, `Content-Length: ${Buffer.byteLength(next)}`)}\r\n\r\n${next}`;
}
