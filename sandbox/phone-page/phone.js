// The outside-phone page's script (plain DOM + JsSIP). It registers as sip:<number>@pstn.sandbox.invalid on the
// sandbox's /sip WebSocket with no password: the sandbox treats that identity as a phone on the PSTN.
// window.outsidePhone exposes the state for browser tests; window.JsSIP lets tests build their own UAs.
import JsSIP from 'jssip';

const OUTSIDE_PHONE_DOMAIN = 'pstn.sandbox.invalid';
const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sip`;
const $ = (id) => document.getElementById(id);

/** state: 'disconnected' | 'connecting' | 'registered' | 'failed'; call: 'idle' | 'calling' | 'incoming' | 'in-call' */
const phone = { state: 'disconnected', call: 'idle', number: '', lastEnd: '', ua: null, session: null, keysSent: '' };
window.JsSIP = JsSIP;
window.outsidePhone = phone;

function render(message) {
  if (message) $('status').textContent = message;
  const registered = phone.state === 'registered';
  $('connect').disabled = phone.state === 'connecting' || registered;
  $('my-number').disabled = phone.state === 'connecting' || registered;
  $('disconnect').disabled = phone.state === 'disconnected';
  $('dial-number').disabled = !registered || phone.call !== 'idle';
  $('call').disabled = !registered || phone.call !== 'idle';
  $('hangup').disabled = phone.call === 'idle';
  $('incoming').hidden = phone.call !== 'incoming';
  $('keypad').hidden = phone.call !== 'in-call';
}

/** Remote audio goes to the <audio> element as soon as the peer connection has a track. */
function attachAudio(pc) {
  const play = (stream) => {
    $('remote-audio').srcObject = stream;
    $('remote-audio')
      .play()
      .catch(() => {});
  };
  pc.addEventListener('track', (event) => play(event.streams[0] ?? new MediaStream([event.track])));
  const receivers = pc.getReceivers().filter((r) => r.track);
  if (receivers.length > 0) play(new MediaStream(receivers.map((r) => r.track)));
}

function watchSession(session) {
  phone.session = session;
  // No trickle ICE: without a ready() JsSIP can wait ~40 s for gathering (docs/contracts/webrtc-testing.md §5.1).
  session.on('icecandidate', (event) => setTimeout(event.ready, 1000));
  if (session.connection) attachAudio(session.connection);
  else session.on('peerconnection', (event) => attachAudio(event.peerconnection));
  session.on('progress', () => render(session.direction === 'outgoing' ? 'Ringing…' : undefined));
  session.on('confirmed', () => {
    phone.call = 'in-call';
    render(`In call with ${session.remote_identity.uri.user}`);
  });
  const finish = (what) => (event) => {
    if (phone.session !== session) return;
    phone.session = null;
    phone.call = 'idle';
    phone.lastEnd = event.cause;
    render(`Call ${what}: ${event.cause}`);
  };
  session.on('ended', finish('ended'));
  session.on('failed', finish('failed'));
}

function connect(number) {
  if (phone.ua) disconnect(); // Connect while connected: as the new number only
  phone.number = number;
  phone.state = 'connecting';
  render(`Connecting as ${number}…`);
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(wsUrl)],
    uri: `sip:${number}@${OUTSIDE_PHONE_DOMAIN}`,
    display_name: number,
    register: true,
    session_timers: false,
  });
  // A UA that was stopped (Disconnect, or Connect as another number) still reports its socket closing a moment
  // later: only the current UA may change what the page says.
  const current = () => phone.ua === ua;
  ua.on('registered', () => {
    if (!current()) return;
    phone.state = 'registered';
    render(`Registered as ${number}`);
  });
  ua.on('registrationFailed', (event) => {
    if (!current()) return;
    phone.state = 'failed';
    render(
      `Registration failed: ${event.response ? `${event.response.status_code} ${event.response.reason_phrase}` : event.cause}`,
    );
  });
  ua.on('disconnected', () => {
    if (current() && phone.state === 'registered') {
      phone.state = 'connecting';
      render('Connection lost, reconnecting…');
    }
  });
  ua.on('newRTCSession', ({ originator, session, request }) => {
    if (originator !== 'remote' || !current()) return;
    if (phone.session) {
      session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    phone.call = 'incoming';
    watchSession(session);
    const from = request.from.display_name || request.from.uri.user;
    $('incoming-text').textContent = `Incoming call from ${from}`;
    render(`Ringing: call from ${from}`);
    $('answer').focus();
  });
  phone.ua = ua;
  ua.start();
}

function disconnect() {
  phone.ua?.stop(); // unregisters, then closes the socket
  phone.ua = null;
  phone.state = 'disconnected';
  phone.call = 'idle';
  render('Not connected');
}

/** What a person types, as the network routes it: the national format the dialpad shows is a +1 number. */
function toDialled(target) {
  const digits = target.replace(/[\s().-]/g, '');
  if (/^\d{10}$/.test(digits)) return `+1${digits}`;
  if (/^1\d{10}$/.test(digits)) return `+${digits}`;
  return digits;
}

function call(target) {
  const digits = toDialled(target);
  phone.call = 'calling';
  render(`Calling ${digits}…`);
  const session = phone.ua.call(`sip:${digits}@${OUTSIDE_PHONE_DOMAIN}`, {
    mediaConstraints: { audio: true, video: false },
    pcConfig: { iceServers: [] },
  });
  watchSession(session); // session.connection already exists here, so watchSession attaches the audio
}

$('connect-form').addEventListener('submit', (event) => {
  event.preventDefault();
  connect($('my-number').value.trim());
});
$('disconnect').addEventListener('click', disconnect);
$('dial-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (phone.call === 'idle' && phone.state === 'registered') call($('dial-number').value.trim());
});
$('answer').addEventListener('click', () => {
  phone.session?.answer({ mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });
  $('hangup').focus();
});
$('decline').addEventListener('click', () => phone.session?.terminate({ status_code: 603, reason_phrase: 'Decline' }));
$('hangup').addEventListener('click', () => phone.session?.terminate());
// Keys go as SIP INFO (application/dtmf-relay): the sandbox hands them to the call (a voicemail's # ends the message).
for (const button of document.querySelectorAll('#keypad button')) {
  button.addEventListener('click', () => {
    if (phone.call !== 'in-call' || !phone.session) return;
    phone.session.sendDTMF(button.dataset.key, { transportType: 'INFO' });
    phone.keysSent += button.dataset.key;
  });
}
render();
