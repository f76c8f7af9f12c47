// The logged-in screen: dialpad, recent calls and the account (passkeys, sessions, SIP credentials) as tabs. An incoming call always
// brings the dialpad tab forward so it can be answered.
import { useEffect, useState } from 'preact/hooks';
import { useCallAlert } from '../../hooks/use-call-alert';
import { usePhone } from '../../hooks/use-phone';
import { CallHistory } from '../call-history';
import { Dialpad } from '../dialpad';
import { AccountPanel } from '../account-panel';
import { TabBar, type Tab } from '../tab-bar';

type HomeTab = 'dialpad' | 'history' | 'account';
const TABS: Array<Tab<HomeTab>> = [
  { id: 'dialpad', label: 'Dialpad' },
  { id: 'history', label: 'Recent' },
  { id: 'account', label: 'Account' },
];

export function HomeScreen() {
  const [tab, setTab] = useState<HomeTab>('dialpad');
  const { state } = usePhone();
  const incoming = state.call?.state === 'incoming';
  useCallAlert(state.call?.state);
  useEffect(() => {
    if (incoming) setTab('dialpad');
  }, [incoming]);

  return (
    <section class="card home">
      <TabBar<HomeTab> tabs={TABS} selected={tab} label="Sections" onSelect={(id) => setTab(id)} />
      <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} class="tab-panel">
        {tab === 'dialpad' && <Dialpad />}
        {tab === 'history' && <CallHistory />}
        {tab === 'account' && <AccountPanel />}
      </div>
    </section>
  );
}
