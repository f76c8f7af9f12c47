// The account tab: passkeys, where the account is logged in, and the SIP credentials for other softphones.
import { PasskeysPanel } from '../passkeys-panel';
import { SessionsPanel } from '../sessions-panel';
import { SipCredentials } from '../sip-credentials';

export function AccountPanel() {
  return (
    <div class="account-panel">
      <PasskeysPanel />
      <SessionsPanel />
      <SipCredentials />
    </div>
  );
}
