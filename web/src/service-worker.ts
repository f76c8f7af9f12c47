// Service worker: makes the dialpad installable, lets the shell load offline, and brings the dialpad to the front
// when an incoming-call notification is clicked.
// Only the shell files listed at build time are cached. Nothing else is ever cached: not /api,
// not config.json (it says where the API is and changes per deployment), not other origins.

declare const __SHELL_FILES__: string[];
declare const __CACHE_NAME__: string;

interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface NotificationEventLike extends ExtendableEventLike {
  notification: { close(): void };
}
interface WindowClientLike {
  focus(): Promise<unknown>;
  postMessage(message: unknown): void;
}
interface ServiceWorkerScopeLike {
  location: Location;
  registration: { scope: string };
  clients: {
    claim(): Promise<void>;
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<WindowClientLike[]>;
    openWindow(url: string): Promise<unknown>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: NotificationEventLike) => void): void;
}

const worker = self as unknown as ServiceWorkerScopeLike;
const shellUrls = new Set(__SHELL_FILES__.map((file) => new URL(file, worker.registration.scope).href));

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(__CACHE_NAME__)
      .then((cache) => cache.addAll([...shellUrls]))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== __CACHE_NAME__).map((name) => caches.delete(name))))
      .then(() => worker.clients.claim()),
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin || url.pathname.includes('/api/')) return;

  if (request.mode === 'navigate') {
    // Network first so a new deployment shows at once; the cached shell only when offline.
    const shell = new URL('./', worker.registration.scope).href;
    event.respondWith(fetch(request).catch(() => caches.match(shell).then((cached) => cached ?? Response.error())));
    return;
  }
  url.search = '';
  if (!shellUrls.has(url.href)) return;
  event.respondWith(caches.match(url.href).then((cached) => cached ?? fetch(request)));
});

// An incoming-call notification clicked: bring the dialpad to the front (it shows the ringing call), or open it.
worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    worker.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const dialpad = windows[0];
      if (!dialpad) return worker.clients.openWindow(new URL('./', worker.registration.scope).href);
      dialpad.postMessage({ type: 'show-dialpad' });
      return dialpad.focus().catch(() => undefined);
    }),
  );
});
