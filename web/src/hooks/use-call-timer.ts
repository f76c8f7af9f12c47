// Elapsed time of an answered call as "m:ss" (or "h:mm:ss"), ticking once a second.
import { useEffect, useState } from 'preact/hooks';

export function formatDuration(milliseconds: number): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export function useCallTimer(answeredAt: number | undefined, endedAt?: number): string | undefined {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (answeredAt === undefined || endedAt !== undefined) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [answeredAt, endedAt]);
  if (answeredAt === undefined) return undefined;
  return formatDuration((endedAt ?? now) - answeredAt);
}
