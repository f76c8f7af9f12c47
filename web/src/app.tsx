// Stacks the providers; the Router picks the screen.
import type { DialpadConfig } from './api';
import { Router } from './components/router';
import { AudioDevicesProvider } from './hooks/use-audio-devices';
import { PhoneProvider } from './hooks/use-phone';
import { SessionProvider } from './hooks/use-session';

export function App(props: { config: DialpadConfig }) {
  return (
    <SessionProvider config={props.config}>
      <AudioDevicesProvider>
        <PhoneProvider iceServers={props.config.iceServers}>
          <Router />
        </PhoneProvider>
      </AudioDevicesProvider>
    </SessionProvider>
  );
}
