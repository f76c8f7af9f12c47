// The phone's observable state and its listeners: one store per phone, shared by its parts.
import type { CallInfo, PhoneState } from './call-state';

export interface PhoneStore {
  readonly state: PhoneState;
  subscribe(listener: (state: PhoneState) => void): () => void;
  update(change: Partial<PhoneState>): void;
  /** Changes the current call; nothing when there is none. */
  updateCall(change: Partial<CallInfo>): void;
}

export function createPhoneStore(): PhoneStore {
  const listeners = new Set<(state: PhoneState) => void>();
  let state: PhoneState = { registration: 'offline' };
  const store: PhoneStore = {
    get state() {
      return state;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    update(change) {
      state = { ...state, ...change };
      for (const listener of listeners) listener(state);
    },
    updateCall(change) {
      if (state.call) store.update({ call: { ...state.call, ...change } });
    },
  };
  return store;
}
