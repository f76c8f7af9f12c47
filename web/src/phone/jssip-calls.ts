// The call in progress on JsSIP, whichever provider set it up: its RTCSession, the peer connection whose
// remote track plays through the page's <audio>, the state changes JsSIP's events mean, mute and DTMF.
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { UA } from 'jssip/lib/UA';
import type { CallInfo } from './call-state';
import { endReasonText } from './end-reason';
import type { PhoneStore } from './phone-store';

/** JsSIP waits for ICE gathering to finish before sending SDP; cap that wait (an unreachable STUN server takes 40 s). */
const ICE_GATHERING_CAP_MS = 1_000;

export interface CallMedia {
  remoteAudio: HTMLAudioElement;
  iceServers?: RTCIceServer[];
}

export type NewCall = Pick<CallInfo, 'direction' | 'peer' | 'state'> & { id?: string };

export interface CallControl {
  readonly peerConnection: RTCPeerConnection | undefined;
  /** A call shows (ringing, answering, connected), with or without a SIP session yet. */
  readonly inCall: boolean;
  /** Sends an INVITE and makes it the current call, shown as `call`. */
  place(ua: UA, target: string, extraHeaders: string[], call: NewCall): void;
  /** An INVITE that arrived: it rings as the current call. */
  ringIncoming(session: RTCSession, peer: string): void;
  /** Shows a call no SIP session belongs to yet (an announced incoming call). */
  show(call: NewCall & { id: string }): void;
  /** Answers the ringing INVITE. */
  answerIncoming(extraHeaders: string[]): void;
  /** Refuses the ringing INVITE with a SIP status (603 decline, 486 busy). */
  rejectIncoming(statusCode: number, reasonPhrase: string, extraHeaders: string[]): void;
  /** Ends the call shown without a session, with a reason for the person. */
  endShown(reason: string): void;
  hangUp(extraHeaders: string[]): void;
  setMuted(muted: boolean): void;
  sendDtmf(tones: string): boolean;
}

export function createCallControl(store: PhoneStore, media: CallMedia): CallControl {
  let session: RTCSession | undefined;
  let peerConnection: RTCPeerConnection | undefined;
  const mediaConstraints = { audio: true, video: false };
  const pcConfig = (): RTCConfiguration => ({ iceServers: media.iceServers ?? [] });

  function attachPeerConnection(connection: RTCPeerConnection): void {
    peerConnection = connection;
    connection.addEventListener('track', (event) => {
      if (event.track.kind !== 'audio') return;
      media.remoteAudio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      void media.remoteAudio.play().catch(() => undefined); // autoplay may need a gesture; the call still works
    });
  }

  function watch(current: RTCSession): void {
    current.on('peerconnection', (event) => attachPeerConnection(event.peerconnection));
    current.on('icecandidate', (event) => {
      setTimeout(() => event.ready(), ICE_GATHERING_CAP_MS);
    });
    current.on('progress', () => {
      if (current === session && store.state.call?.state === 'dialing') store.updateCall({ state: 'ringing' });
    });
    current.on('confirmed', () => {
      if (current === session) store.updateCall({ state: 'active', answeredAt: Date.now() });
    });
    const finish = (cause: string | undefined, originator: string) => {
      if (current !== session) return;
      session = undefined;
      peerConnection = undefined;
      media.remoteAudio.srcObject = null;
      const call = store.state.call;
      store.updateCall({ state: 'ended', endedAt: Date.now(), endReason: endReasonText(cause, originator, call) });
    };
    current.on('ended', (event) => finish(event.cause, event.originator));
    current.on('failed', (event) => finish(event.cause, event.originator));
  }

  const startCall = (call: NewCall & { id: string }) =>
    store.update({ call: { ...call, startedAt: Date.now(), muted: false } });

  return {
    get peerConnection() {
      return peerConnection;
    },
    get inCall() {
      const shown = store.state.call;
      return session !== undefined || (shown !== undefined && shown.state !== 'ended');
    },
    place(ua, target, extraHeaders, call) {
      const outgoing = ua.call(target, {
        extraHeaders,
        mediaConstraints,
        pcConfig: pcConfig(),
        // Set here, not in newRTCSession: for outgoing calls it fires before that event (JsSIP #521).
        eventHandlers: { peerconnection: (event) => attachPeerConnection(event.peerconnection) },
      });
      session = outgoing;
      watch(outgoing);
      if (store.state.call?.id === (call.id ?? outgoing.id)) store.updateCall({ state: call.state });
      else startCall({ ...call, id: call.id ?? outgoing.id });
    },
    ringIncoming(incoming, peer) {
      session = incoming;
      watch(incoming);
      startCall({ id: incoming.id, direction: 'inbound', peer, state: 'incoming' });
    },
    show(call) {
      startCall(call);
    },
    answerIncoming(extraHeaders) {
      if (!session || store.state.call?.state !== 'incoming') return;
      store.updateCall({ state: 'answering' });
      session.answer({ extraHeaders, mediaConstraints, pcConfig: pcConfig() });
    },
    rejectIncoming(statusCode, reasonPhrase, extraHeaders) {
      if (session && store.state.call?.state === 'incoming')
        session.terminate({ status_code: statusCode, reason_phrase: reasonPhrase, extraHeaders });
    },
    endShown(reason) {
      if (session) return; // a session ends through its own events
      store.updateCall({ state: 'ended', endedAt: Date.now(), endReason: reason });
    },
    hangUp(extraHeaders) {
      session?.terminate({ extraHeaders });
    },
    setMuted(muted) {
      if (!session || store.state.call?.state !== 'active') return;
      if (muted) session.mute({ audio: true });
      else session.unmute({ audio: true });
      store.updateCall({ muted });
    },
    sendDtmf(tones) {
      // SIP INFO DTMF does not work with Catapult; RFC 4733 tones in-band work with any gateway.
      const sender = peerConnection?.getSenders().find((candidate) => candidate.track?.kind === 'audio');
      // canInsertDTMF is false when the far end did not accept telephone-event in the SDP: insertDTMF would throw.
      if (!sender?.dtmf?.canInsertDTMF || store.state.call?.state !== 'active') return false;
      sender.dtmf.insertDTMF(tones, 120, 70);
      return true;
    },
  };
}
