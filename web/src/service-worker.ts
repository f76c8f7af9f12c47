// Service worker: makes the dialpad installable and lets the shell load offline.
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
interface ServiceWorkerScopeLike {
  location: Location;
  registration: { scope: string };
  clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
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
