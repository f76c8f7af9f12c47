// Entry point: refuse to run framed by another page, read config.json (where the API is), render, and register
// the service worker.
import { render } from 'preact';
import { loadClientConfig } from './api';
import { App } from './app';
import { FramedRefusal } from './components/framed-refusal';
import { StartupError } from './components/startup-error';
import { isFramed } from './frame-guard';
import './styles.css';

const root = document.getElementById('app')!;

if (isFramed(window)) {
  render(<FramedRefusal href={location.href} />, root);
} else {
  loadClientConfig(new URL('config.json', document.baseURI).href, location.origin).then(
    (config) => render(<App config={config} />, root),
    (error: Error) => render(<StartupError message={error.message} offline={!navigator.onLine} />, root),
  );

  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker.register('sw.js').catch(() => undefined); // installability only; the app works without it
  }
}
