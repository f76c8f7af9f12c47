// Small per-device settings (chosen audio devices, when the missed calls were last seen, a dismissed prompt) in
// localStorage as JSON. Wrapped so callers never see storage throw (private mode, disabled, quota): a setting
// that cannot be read is simply not set, and one that cannot be written lasts for this page only.
import { browserStorage, type KeyValueStorage } from './session-store';

export interface LocalSettings {
  read<T>(key: string, valid: (value: unknown) => value is T): T | undefined;
  write(key: string, value: unknown): void;
}

export function createLocalSettings(storage: KeyValueStorage | undefined = browserStorage()): LocalSettings {
  const memory = new Map<string, string>(); // what could not be stored, for the rest of this page's life
  return {
    read(key, valid) {
      try {
        const raw = memory.get(key) ?? storage?.getItem(`voice-ref.${key}`);
        if (!raw) return undefined;
        const value = JSON.parse(raw) as unknown;
        return valid(value) ? value : undefined;
      } catch {
        return undefined;
      }
    },
    write(key, value) {
      const raw = JSON.stringify(value);
      try {
        storage?.setItem(`voice-ref.${key}`, raw);
        memory.delete(key);
      } catch {
        memory.set(key, raw);
      }
    },
  };
}

export const localSettings = createLocalSettings();
