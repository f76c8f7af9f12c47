// The platform's end of one call leg's media, shared by both platforms. Bandwidth is a B2BUA
// (docs/contracts/bandwidth-v2.md §12): every leg's audio ends at the platform, which plays prompts to it or relays
// it to the leg it is bridged with; Catapult uses it only when the app plays audio to, or records, a caller nobody
// else answered. Each leg is terminated by a werift peer connection (PCMU only, so two bridged legs always share the
// codec and RTP is relayed without transcoding). A relayed packet gets this leg's own sequence numbers and
// timestamps; `impairment` drops and delays what the platform sends on this leg (loss and delay per leg for
// impairment tests). The platform can also play decoded audio to the far end (`play`), capture what the far end
// sends (`startCapture`/`stopCapture`, for recordings) and hear the digits it presses (`pressDigit`, `onDigit`).
import { mulaw } from 'alawmulaw';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'werift';
import { AudioMeter, type AudioLevel } from '../phone-network/audio-level';
import { AudioCapture } from './audio-capture';
import { keepLoopbackCandidates } from '../phone-network/tone-phone';

const LOOPBACK = '127.0.0.1';
const FRAME_SAMPLES = 160; // 20 ms at 8 kHz
const PROMPT_HZ = 660; // SpeakSentence's stand-in sound: distinct from the tone phones' 440 Hz
const SILENCE = Buffer.alloc(FRAME_SAMPLES, 0xff); // µ-law zero

export interface MediaImpairment {
  /** Share of packets dropped, 0–1. */
  lossRate: number;
  /** Added one-way delay, ms. */
  delayMs: number;
}

export interface LegMediaStats {
  rtpIn: number;
  rtpOut: number;
  relayedIn: number; // packets from the bridged leg sent on this one
  audioIn: AudioLevel;
}

export class LegMedia {
  impairment: MediaImpairment = { lossRate: 0, delayMs: 0 };
  private readonly pc: RTCPeerConnection;
  private readonly track = new MediaStreamTrack({ kind: 'audio' });
  private readonly meter = new AudioMeter();
  private readonly counts = { rtpIn: 0, rtpOut: 0, relayedIn: 0 };
  private peer: LegMedia | undefined;
  private promptUntil = 0;
  private promptSample = 0;
  private sequence = Math.floor(Math.random() * 0xffff);
  private timestamp = Math.floor(Math.random() * 0xffffffff);
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private capture: AudioCapture | undefined;
  private playing: { samples: Int16Array; offset: number; done: () => void } | undefined;
  private readonly digitListeners = new Set<(digit: string) => void>();

  constructor() {
    this.pc = new RTCPeerConnection({
      iceServers: [],
      iceAdditionalHostAddresses: [LOOPBACK],
      iceInterfaceAddresses: { udp4: LOOPBACK },
      iceUseIpv6: false,
      iceFilterCandidatePair: (pair) => pair.remoteCandidate.host === LOOPBACK && pair.localCandidate.host === LOOPBACK,
      codecs: {
        audio: [new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 })],
      },
    });
    this.pc.onTrack.subscribe((remote) =>
      remote.onReceiveRtp.subscribe((rtp) => {
        this.counts.rtpIn += 1;
        if (rtp.header.payloadType !== 0) return;
        this.meter.addPcmu(rtp.payload);
        this.capture?.addPcmu(rtp.payload, rtp.header.timestamp);
        this.peer?.relay(rtp.payload);
      }),
    );
    // The platform sends a steady 20 ms stream (silence, prompt) while the leg is not bridged.
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected' && !this.timer && !this.closed) {
        this.timer = setInterval(() => this.tick(), 20);
        this.timer.unref();
      }
    });
  }

  /** Answers the far end's offer (a caller's leg). */
  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    const transceiver = this.pc.getTransceivers()[0];
    if (!transceiver) throw new Error('the offer has no audio section');
    transceiver.setDirection('sendrecv');
    await transceiver.sender.replaceTrack(this.track);
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return this.localSdp();
  }

  /** Makes the offer for a leg the platform places (a transfer target). */
  async offer(): Promise<string> {
    this.pc.addTransceiver(this.track, { direction: 'sendrecv' });
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return this.localSdp();
  }

  async acceptAnswer(sdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
  }

  /** Plays the prompt sound for `ms` (SpeakSentence). */
  playPrompt(ms: number): void {
    this.promptUntil = Date.now() + ms;
  }

  /**
   * Plays 8 kHz samples to the far end (PlayAudio, a tone); resolves when they are played or `stopPlaying` was
   * called. A new play replaces one in progress.
   */
  play(samples: Int16Array): Promise<void> {
    this.stopPlaying();
    if (this.closed || samples.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      // Frames go out only once the leg's media is connected; a leg whose media never connects (a caller without
      // SDP) must not hold the BXML forever, so the play also ends after its length plus a margin.
      const guard = setTimeout(() => this.playing === playing && this.stopPlaying(), samples.length / 8 + 3000);
      guard.unref();
      const playing = {
        samples,
        offset: 0,
        done: () => {
          clearTimeout(guard);
          resolve();
        },
      };
      this.playing = playing;
    });
  }

  stopPlaying(): void {
    const playing = this.playing;
    this.playing = undefined;
    this.promptUntil = 0;
    playing?.done();
  }

  /** Starts capturing what the far end sends (a recording), for at most `maxMs`. */
  startCapture(maxMs: number): void {
    this.capture = new AudioCapture(maxMs);
  }

  /** Stops the capture: its 16-bit samples, padded with silence to the time it ran. */
  stopCapture(): Int16Array {
    const capture = this.capture;
    this.capture = undefined;
    return capture ? capture.stop() : new Int16Array(0);
  }

  get capturing(): boolean {
    return this.capture !== undefined;
  }

  /** A digit the far end pressed (DTMF) reaches the platform. */
  pressDigit(digit: string): void {
    for (const listener of [...this.digitListeners]) listener(digit);
  }

  /** Listens for the far end's digits; returns the function that stops listening. */
  onDigit(listener: (digit: string) => void): () => void {
    this.digitListeners.add(listener);
    return () => this.digitListeners.delete(listener);
  }

  /** Joins two legs: what each receives is sent on the other. */
  static bridge(a: LegMedia, b: LegMedia): void {
    a.unbridge();
    b.unbridge();
    a.peer = b;
    b.peer = a;
  }

  unbridge(): void {
    if (this.peer?.peer === this) this.peer.peer = undefined;
    this.peer = undefined;
  }

  get bridged(): boolean {
    return this.peer !== undefined;
  }

  stats(): LegMediaStats {
    return { ...this.counts, audioIn: this.meter.read() };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopPlaying();
    this.unbridge();
    if (this.timer) clearInterval(this.timer);
    await this.pc.close().catch(() => undefined);
  }

  private relay(payload: Buffer): void {
    this.counts.relayedIn += 1;
    this.send(payload);
  }

  private tick(): void {
    if (this.closed || this.peer) return;
    const playing = this.playing;
    if (playing) {
      const frame = new Int16Array(FRAME_SAMPLES); // the last frame is padded with silence
      frame.set(playing.samples.subarray(playing.offset, playing.offset + FRAME_SAMPLES));
      playing.offset += FRAME_SAMPLES;
      this.send(Buffer.from(mulaw.encode(frame)));
      if (playing.offset >= playing.samples.length) {
        this.playing = undefined;
        playing.done();
      }
    } else if (Date.now() < this.promptUntil) {
      const pcm = new Int16Array(FRAME_SAMPLES);
      for (let i = 0; i < FRAME_SAMPLES; i += 1) {
        pcm[i] = Math.round(0.4 * 32767 * Math.sin((2 * Math.PI * PROMPT_HZ * (this.promptSample + i)) / 8000));
      }
      this.promptSample += FRAME_SAMPLES;
      this.send(Buffer.from(mulaw.encode(pcm)));
    } else {
      this.send(SILENCE);
    }
  }

  private send(payload: Buffer): void {
    if (this.closed || this.pc.connectionState !== 'connected') return;
    if (this.impairment.lossRate > 0 && Math.random() < this.impairment.lossRate) {
      this.advance();
      return;
    }
    const packet = new RtpPacket(
      new RtpHeader({ payloadType: 0, sequenceNumber: this.sequence, timestamp: this.timestamp >>> 0 }),
      payload,
    );
    this.advance();
    const write = () => {
      if (this.closed) return;
      this.track.writeRtp(packet);
      this.counts.rtpOut += 1;
    };
    if (this.impairment.delayMs > 0) setTimeout(write, this.impairment.delayMs).unref();
    else write();
  }

  private advance(): void {
    this.sequence = (this.sequence + 1) & 0xffff;
    this.timestamp = (this.timestamp + FRAME_SAMPLES) >>> 0;
  }

  private async localSdp(): Promise<string> {
    if (this.pc.iceGatheringState !== 'complete') {
      await this.pc.iceGatheringStateChange.watch((state) => state === 'complete', 5000);
    }
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error('no local description');
    return keepLoopbackCandidates(sdp);
  }
}
