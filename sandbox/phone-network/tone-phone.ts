// The media side of a simulated outside phone: a real WebRTC peer (werift, pure TypeScript) that
// sends a 440 Hz tone as PCMU and counts the RTP it receives, so tests can prove audio flows end to
// end. All werift use lives in this file.
//
// Loopback only: no STUN, and 127.0.0.1 is added as a host address because a loopback-only network
// namespace has no other interface (docs/contracts/webrtc-testing.md §8.1: without it the SDP says c=0.0.0.0).
import { mulaw } from 'alawmulaw';
import { AudioMeter, type AudioLevel } from './audio-level';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'werift';

export interface TonePhoneStats {
  rtpIn: number;
  rtpOut: number;
}

export interface TonePhone {
  /** Make an SDP offer (the outside phone is calling). Resolves once ICE gathering is complete. */
  offer(): Promise<string>;
  /** Apply the far end's answer to our offer. */
  acceptAnswer(sdp: string): Promise<void>;
  /** Answer a far end's offer (the outside phone was called). Resolves once ICE gathering is complete. */
  answer(offerSdp: string): Promise<string>;
  stats(): TonePhoneStats;
  /** What it hears: frames, loud frames and the last loud frame's frequency. */
  audioIn(): AudioLevel;
  close(): Promise<void>;
}

const SAMPLE_RATE = 8000;
const FRAME_MS = 20;
const SAMPLES_PER_FRAME = (SAMPLE_RATE * FRAME_MS) / 1000;
const TONE_HZ = 440;
const GATHERING_TIMEOUT_MS = 5000;
const LOOPBACK = '127.0.0.1';

/** Drop every ICE candidate that is not on loopback from an SDP. */
export function keepLoopbackCandidates(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || line.split(' ')[4] === LOOPBACK)
    .join('\r\n');
}

/** One 20 ms µ-law frame of the tone, continuing the phase from `firstSample`. */
export function toneFrame(firstSample: number): Buffer {
  const pcm = new Int16Array(SAMPLES_PER_FRAME);
  for (let i = 0; i < SAMPLES_PER_FRAME; i++) {
    pcm[i] = Math.round(0.4 * 32767 * Math.sin((2 * Math.PI * TONE_HZ * (firstSample + i)) / SAMPLE_RATE));
  }
  return Buffer.from(mulaw.encode(pcm));
}

export function createTonePhone(): TonePhone {
  const pc = new RTCPeerConnection({
    iceServers: [],
    iceAdditionalHostAddresses: [LOOPBACK],
    // Never send media anywhere but loopback: bind there, use IPv4 only, pair only with loopback
    // candidates, and (below) advertise only loopback candidates.
    iceInterfaceAddresses: { udp4: LOOPBACK },
    iceUseIpv6: false,
    iceFilterCandidatePair: (pair) => pair.remoteCandidate.host === LOOPBACK && pair.localCandidate.host === LOOPBACK,
    codecs: {
      audio: [
        new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: SAMPLE_RATE, channels: 1, payloadType: 0 }),
      ],
    },
  });
  const track = new MediaStreamTrack({ kind: 'audio' });
  const counts: TonePhoneStats = { rtpIn: 0, rtpOut: 0 };
  const meter = new AudioMeter();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let sequenceNumber = Math.floor(Math.random() * 0xffff);
  let sampleIndex = 0;

  pc.onTrack.subscribe((remote) => {
    remote.onReceiveRtp.subscribe((rtp) => {
      counts.rtpIn++;
      if (rtp.header.payloadType === 0) meter.addPcmu(rtp.payload);
    });
  });

  // The tone starts once media can flow; werift drops RTP written before DTLS is connected.
  pc.connectionStateChange.subscribe((state) => {
    if (state === 'connected' && !timer && !closed) {
      timer = setInterval(sendFrame, FRAME_MS);
      timer.unref();
    }
  });

  function sendFrame(): void {
    if (closed || pc.connectionState !== 'connected') return;
    const header = new RtpHeader({
      payloadType: 0,
      sequenceNumber,
      timestamp: sampleIndex >>> 0,
      marker: sampleIndex === 0,
    });
    track.writeRtp(new RtpPacket(header, toneFrame(sampleIndex)));
    sequenceNumber = (sequenceNumber + 1) & 0xffff;
    sampleIndex += SAMPLES_PER_FRAME;
    counts.rtpOut++;
  }

  async function localSdpAfterGathering(): Promise<string> {
    if (pc.iceGatheringState !== 'complete') {
      await pc.iceGatheringStateChange.watch((state) => state === 'complete', GATHERING_TIMEOUT_MS);
    }
    const sdp = pc.localDescription?.sdp;
    if (!sdp) throw new Error('tone phone has no local description');
    return keepLoopbackCandidates(sdp);
  }

  return {
    async offer() {
      pc.addTransceiver(track, { direction: 'sendrecv' });
      await pc.setLocalDescription(await pc.createOffer());
      return localSdpAfterGathering();
    },
    async acceptAnswer(sdp) {
      await pc.setRemoteDescription({ type: 'answer', sdp });
    },
    async answer(offerSdp) {
      await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
      const transceiver = pc.getTransceivers()[0];
      if (!transceiver) throw new Error('the offer has no audio section');
      transceiver.setDirection('sendrecv');
      await transceiver.sender.replaceTrack(track);
      await pc.setLocalDescription(await pc.createAnswer());
      return localSdpAfterGathering();
    },
    stats: () => ({ ...counts }),
    audioIn: () => meter.read(),
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      await pc.close().catch(() => undefined);
    },
  };
}
