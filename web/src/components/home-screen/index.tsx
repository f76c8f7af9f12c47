// The logged-in screen: dialpad, recent calls (counting missed calls not seen yet), voicemail (counting unread
// messages), audio devices and the account
// (passkeys, sessions, SIP credentials) as tabs. An incoming call always brings the dialpad tab forward so it can be
// answered, and while the tab is hidden it raises a system notification.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { useCallAlert } from '../../hooks/use-call-alert';
import { CallHistoryProvider, useCallHistory } from '../../hooks/use-call-history';
import { useCallNotification } from '../../hooks/use-call-notification';
import { usePeerName } from '../../hooks/use-call-words';
import { usePhone } from '../../hooks/use-phone';
import { useVoicemail, VoicemailProvider } from '../../hooks/use-voicemail';
import { AudioSettings } from '../audio-settings';
import { CallHistory } from '../call-history';
import { Dialpad } from '../dialpad';
import { AccountPanel } from '../account-panel';
import { TabBar, type Tab } from '../tab-bar';
import { VoicemailList } from '../voicemail-list';

type HomeTab = 'dialpad' | 'history' | 'voicemail' | 'audio' | 'account';

function Home() {
  const [tab, setTab] = useState<HomeTab>('dialpad');
  const [dial, setDial] = useState<{ number: string; seq: number } | undefined>(undefined);
  const { state } = usePhone();
  const history = useCallHistory();
  const voicemail = useVoicemail();
  const incoming = state.call?.state === 'incoming';
  const name = usePeerName(state.call);
  const showDialpad = useCallback(() => {
    setTab('dialpad');
    window.focus();
  }, []);
  useCallAlert(state);
  useCallNotification(state.call, name, showDialpad);
  useEffect(() => {
    if (incoming) setTab('dialpad');
  }, [incoming]);

  const tabs: Array<Tab<HomeTab>> = [
    { id: 'dialpad', label: 'Dialpad' },
    { id: 'history', label: 'Recent', badge: { count: history.unseenMissed, of: 'missed' } },
    { id: 'voicemail', label: 'Voicemail', badge: { count: voicemail.unread, of: 'unread' } },
    { id: 'audio', label: 'Audio' },
    { id: 'account', label: 'Account' },
  ];
  const inCall = state.call !== undefined && state.call.state !== 'ended';
  return (
    <section class="card home">
      <TabBar<HomeTab> tabs={tabs} selected={tab} label="Sections" onSelect={(id) => setTab(id)} />
      <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} class="tab-panel">
        {tab === 'dialpad' && <Dialpad dial={dial} />}
        {tab === 'history' && (
          <CallHistory
            canCall={state.registration === 'registered' && !inCall}
            onCall={(number) => {
              setDial({ number, seq: (dial?.seq ?? 0) + 1 });
              setTab('dialpad');
            }}
          />
        )}
        {tab === 'voicemail' && <VoicemailList />}
        {tab === 'audio' && <AudioSettings />}
        {tab === 'account' && <AccountPanel />}
      </div>
    </section>
  );
}

export function HomeScreen() {
  return (
    <CallHistoryProvider>
      <VoicemailProvider>
        <Home />
      </VoicemailProvider>
    </CallHistoryProvider>
  );
}
