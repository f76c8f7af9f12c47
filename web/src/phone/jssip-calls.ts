// The calls in progress on JsSIP, whichever provider set them up: the current call's RTCSession, the peer
// connection whose remote track plays through the page's <audio>, the state changes JsSIP's events mean, mute,
// hold, DTMF and the quality watch; and a second incoming call that waits while the first goes on.
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { UA } from 'jssip/lib/UA';
import { watchQuality } from './call-quality';
import type { CallInfo, CallOutcome } from './call-state';
import { endOutcome } from './end-reason';
import type { PhoneStore } from './phone-store';

/** JsSIP waits for ICE gathering to finish before sending SDP; cap that wait (an unreachable STUN server takes 40 s). */
const ICE_GATHERING_CAP_MS = 1_000;

export interface CallMedia {
  remoteAudio: HTMLAudioElement;
  iceServers?: RTCIceServer[];
  /** The microphone the person chose (a deviceId) while it is there; undefined for the default one. */
  audioInput?(): string | undefined;
}

export type NewCall = Pick<CallInfo, 'direction' | 'peer' | 'state'> & { id?: string; peerName?: string };

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
  /** Ends the call shown without a session. */
  endShown(outcome: CallOutcome): void;
  hangUp(extraHeaders: string[]): void;
  setMuted(muted: boolean): void;
  /** Puts the call on hold (re-INVITE, a=sendonly) or takes it off; the far end's own hold shows as remoteHeld. */
  setHeld(held: boolean, extraHeaders: string[]): void;
  sendDtmf(tones: string): boolean;
  /** A second INVITE during a call: shown as `waiting`, ringing until answered, declined or cancelled. */
  waitIncoming(session: RTCSession, peer: string): void;
  /** Shows a waiting call no SIP session belongs to yet (announced), or clears it (undefined). */
  showWaiting(call: (NewCall & { id: string }) | undefined): void;
  /** Refuses the waiting INVITE. */
  rejectWaiting(statusCode: number, reasonPhrase: string, extraHeaders: string[]): void;
  /** Ends the current call and answers the waiting INVITE in its place. */
  takeWaiting(extraHeaders: string[]): void;
}

export function createCallControl(store: PhoneStore, media: CallMedia): CallControl {
  let session: RTCSession | undefined;
  let waitingSession: RTCSession | undefined;
  let peerConnection: RTCPeerConnection | undefined;
  let stopQuality = () => undefined as void;
  const mediaConstraints = () => {
    const deviceId = media.audioInput?.();
    return { audio: deviceId ? { deviceId: { exact: deviceId } } : true, video: false };
  };
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
    const mine = () => current === session;
    current.on('peerconnection', (event) => attachPeerConnection(event.peerconnection));
    current.on('icecandidate', (event) => {
      setTimeout(() => event.ready(), ICE_GATHERING_CAP_MS);
    });
    current.on('progress', () => {
      if (mine() && store.state.call?.state === 'dialing') store.updateCall({ state: 'ringing' });
    });
    current.on('confirmed', () => {
      if (!mine()) return;
      store.updateCall({ state: 'active', answeredAt: Date.now(), quality: { connection: 'ok' } });
      const connection = peerConnection;
      stopQuality();
      if (connection) {
        const expected = () => !store.state.call?.held && !store.state.call?.remoteHeld;
        stopQuality = watchQuality(connection, expected, (quality) => {
          if (mine()) store.updateCall({ quality });
        });
      }
    });
    const hold = (held: boolean) => (event: { originator: string }) => {
      if (mine()) store.updateCall(event.originator === 'local' ? { held } : { remoteHeld: held });
    };
    current.on('hold', hold(true));
    current.on('unhold', hold(false));
    const finish = (cause: string | undefined, originator: string) => {
      if (!mine()) return;
      session = undefined;
      peerConnection = undefined;
      stopQuality();
      media.remoteAudio.srcObject = null;
      media.remoteAudio.muted = false;
      const call = store.state.call;
      store.updateCall({ state: 'ended', endedAt: Date.now(), outcome: endOutcome(cause, originator, call) });
      promoteWaiting();
    };
    current.on('ended', (event) => finish(event.cause, event.originator));
    current.on('failed', (event) => finish(event.cause, event.originator));
  }

  /** The current call ended while another waited: that one now rings as the current call. */
  function promoteWaiting(): void {
    const waiting = store.state.waiting;
    if (!waiting) return;
    session = waitingSession;
    waitingSession = undefined;
    if (session) watch(session);
    store.update({ waiting: undefined, call: { ...waiting, startedAt: Date.now() } });
  }

  const newCall = (call: NewCall & { id: string }): CallInfo => ({
    ...call,
    startedAt: Date.now(),
    muted: false,
    held: false,
    remoteHeld: false,
  });
  const startCall = (call: NewCall & { id: string }) => store.update({ call: newCall(call) });

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
        mediaConstraints: mediaConstraints(),
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
      session.answer({ extraHeaders, mediaConstraints: mediaConstraints(), pcConfig: pcConfig() });
    },
    rejectIncoming(statusCode, reasonPhrase, extraHeaders) {
      if (session && store.state.call?.state === 'incoming')
        session.terminate({ status_code: statusCode, reason_phrase: reasonPhrase, extraHeaders });
    },
    endShown(outcome) {
      if (session) return; // a session ends through its own events
      store.updateCall({ state: 'ended', endedAt: Date.now(), outcome });
      promoteWaiting();
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
    setHeld(held, extraHeaders) {
      if (!session || store.state.call?.state !== 'active' || store.state.call.held === held) return;
      // The far end may keep sending while held (a gateway that answers the re-INVITE with the old SDP): keep it quiet.
      media.remoteAudio.muted = held;
      if (held) session.hold({ extraHeaders });
      else session.unhold({ extraHeaders });
    },
    sendDtmf(tones) {
      // SIP INFO DTMF does not work with Catapult; RFC 4733 tones in-band work with any gateway.
      const sender = peerConnection?.getSenders().find((candidate) => candidate.track?.kind === 'audio');
      // canInsertDTMF is false when the far end did not accept telephone-event in the SDP: insertDTMF would throw.
      if (!sender?.dtmf?.canInsertDTMF || store.state.call?.state !== 'active') return false;
      sender.dtmf.insertDTMF(tones, 120, 70);
      return true;
    },
    waitIncoming(incoming, peer) {
      waitingSession = incoming;
      const ended = () => {
        if (waitingSession !== incoming) return;
        waitingSession = undefined;
        store.update({ waiting: undefined });
      };
      incoming.on('ended', ended);
      incoming.on('failed', ended);
      store.update({ waiting: newCall({ id: incoming.id, direction: 'inbound', peer, state: 'incoming' }) });
    },
    showWaiting(call) {
      store.update({ waiting: call && newCall(call) });
    },
    rejectWaiting(statusCode, reasonPhrase, extraHeaders) {
      waitingSession?.terminate({ status_code: statusCode, reason_phrase: reasonPhrase, extraHeaders });
    },
    takeWaiting(extraHeaders) {
      const next = waitingSession;
      const waiting = store.state.waiting;
      if (!next || !waiting) return;
      const previous = session;
      session = undefined; // its end is no longer the current call's: the waiting one takes its place
      peerConnection = undefined;
      stopQuality();
      media.remoteAudio.srcObject = null;
      media.remoteAudio.muted = false;
      previous?.terminate({ extraHeaders });
      waitingSession = undefined;
      session = next;
      watch(next);
      store.update({ waiting: undefined, call: { ...newCall(waiting), state: 'answering' } });
      next.answer({ extraHeaders, mediaConstraints: mediaConstraints(), pcConfig: pcConfig() });
    },
  };
}
