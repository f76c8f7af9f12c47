// Entry point: read config.json (where the API is), render, and register the service worker.
import { render } from 'preact';
import { loadClientConfig } from './api';
import { App } from './app';
import './styles.css';

const root = document.getElementById('app')!;

loadClientConfig(new URL('config.json', document.baseURI).href, location.origin).then(
  (config) => render(<App config={config} />, root),
  (error: Error) => {
    root.innerHTML = '';
    const message = document.createElement('p');
    message.className = 'fatal';
    message.setAttribute('role', 'alert');
    message.textContent = error.message;
    root.append(message);
  },
);

if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  navigator.serviceWorker.register('sw.js').catch(() => undefined); // installability only; the app works without it
}
