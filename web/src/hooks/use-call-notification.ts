// An incoming call while the dialpad's tab is hidden raises a system notification (if the person allowed them);
// clicking it brings the dialpad to the front. Shown through the service worker where there is one (the only way
// on Android, and its click can focus the window), else with the page's own Notification.
import { useEffect } from 'preact/hooks';
import type { CallInfo } from '../phone/phone';
import { displayPeer } from '../phone-number';

const TAG = 'incoming-call';

export function notificationsAllowed(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

async function show(title: string, body: string): Promise<() => void> {
  const options: NotificationOptions = { body, tag: TAG, icon: 'icon-192.png', requireInteraction: true };
  const registration = await navigator.serviceWorker?.getRegistration().catch(() => undefined);
  if (registration?.active) {
    await registration.showNotification(title, options);
    return () => void registration.getNotifications({ tag: TAG }).then((shown) => shown.forEach((n) => n.close()));
  }
  const notification = new Notification(title, options);
  notification.onclick = () => {
    window.focus();
    notification.close();
  };
  return () => notification.close();
}

/** `onShowDialpad`: the person clicked the notification (the service worker says so by message). */
export function useCallNotification(call: CallInfo | undefined, name: string | undefined, onShowDialpad: () => void) {
  const ringing = call?.state === 'incoming' ? call : undefined;
  const who = ringing && (name ? `${name} · ${displayPeer(ringing.peer)}` : displayPeer(ringing.peer));
  useEffect(() => {
    if (!who) return undefined;
    let close: (() => void) | undefined;
    let closed = false;
    const raise = () => {
      if (document.visibilityState !== 'hidden' || close || !notificationsAllowed()) return;
      close = () => undefined; // one per call, even while the first is being shown
      void show('Incoming call', who).then(
        (done) => (closed ? done() : (close = done)),
        () => undefined,
      );
    };
    raise();
    document.addEventListener('visibilitychange', raise);
    return () => {
      closed = true;
      document.removeEventListener('visibilitychange', raise);
      close?.();
    };
  }, [who]);

  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if ((event.data as { type?: string } | null)?.type === 'show-dialpad') onShowDialpad();
    };
    navigator.serviceWorker?.addEventListener('message', onMessage);
    return () => navigator.serviceWorker?.removeEventListener('message', onMessage);
  }, [onShowDialpad]);
}
