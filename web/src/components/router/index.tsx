// Picks the screen: the dialpad when logged in (after the passkey offer, if one is due); otherwise log-in, or
// sign-up with a name carried over.
import { useEffect, useState } from 'preact/hooks';
import { useSession } from '../../hooks/use-session';
import { AppHeader } from '../app-header';
import { HomeScreen } from '../home-screen';
import { LoginScreen } from '../login-screen';
import { PasskeySetup } from '../passkey-setup';
import { SignupScreen } from '../signup-screen';

type LoggedOutScreen = { name: 'login'; username?: string } | { name: 'signup'; username?: string; reason?: string };

export function Router() {
  const { session } = useSession();
  const [screen, setScreen] = useState<LoggedOutScreen>({ name: 'login' });
  const loggedIn = session !== undefined;
  // Whoever logs out (or is logged out) lands on the log-in screen, not on the sign-up form they came from.
  useEffect(() => {
    if (loggedIn) setScreen({ name: 'login' });
  }, [loggedIn]);

  let content;
  if (session?.passkeySetup === 'offer' || session?.passkeySetup === 'required') content = <PasskeySetup />;
  else if (session) content = <HomeScreen />;
  else if (screen.name === 'signup') {
    content = (
      <SignupScreen
        initialUsername={screen.username}
        reason={screen.reason}
        onLogIn={(username) => setScreen({ name: 'login', username })}
      />
    );
  } else {
    content = (
      <LoginScreen
        initialUsername={screen.username}
        onSignUp={(username, reason) => setScreen({ name: 'signup', username, reason })}
      />
    );
  }
  return (
    <div class="app">
      <AppHeader />
      <main id="main" class="app-main">
        {content}
      </main>
    </div>
  );
}
