// The platform's end of one call leg's media. Bandwidth is a B2BUA (docs/contracts/bandwidth-v2.md §12): every
// leg's audio ends at the platform, which plays prompts to it or relays it to the leg it is bridged with. Here each
// leg is terminated by a werift peer connection (PCMU only, so two bridged legs always share the codec and RTP is
// relayed without transcoding). A relayed packet gets this leg's own sequence numbers and timestamps; `impairment`
// drops and delays what the platform sends on this leg (loss and delay per leg for impairment tests).
import { mulaw } from 'alawmulaw';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'werift';
import { AudioMeter, type AudioLevel } from '../../phone-network/audio-level';
import { keepLoopbackCandidates } from '../../phone-network/tone-phone';

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
    if (Date.now() < this.promptUntil) {
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
