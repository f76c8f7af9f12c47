// Registrations (RFC 3261 §10): address of record → contacts. Several contacts per AOR ring together.
// A binding lives until it expires, is unregistered, or its WebSocket closes (a closed tab cannot be reached).

export type BindingKind = 'endpoint' | 'outside-phone';

export interface Binding {
  aor: string; // "sip:<user>@<host>", host lower-case
  contact: string; // the Contact header value as the client sent it (echoed in the 200, JsSIP matches on it)
  contactUri: string; // the URI inside it: where INVITEs to this client go
  kind: BindingKind;
  connectionId: string;
  expiresAt: number; // epoch ms
  endpointId?: string;
}

export class BindingStore {
  private readonly byAor = new Map<string, Map<string, Binding>>(); // aor → contactUri → binding

  constructor(private readonly now: () => number) {}

  upsert(binding: Binding): void {
    let contacts = this.byAor.get(binding.aor);
    if (!contacts) this.byAor.set(binding.aor, (contacts = new Map<string, Binding>()));
    contacts.set(binding.contactUri, binding);
  }

  remove(aor: string, contactUri: string): void {
    const contacts = this.byAor.get(aor);
    contacts?.delete(contactUri);
    if (contacts?.size === 0) this.byAor.delete(aor);
  }

  removeAor(aor: string): void {
    this.byAor.delete(aor);
  }

  removeConnection(connectionId: string): Binding[] {
    const removed: Binding[] = [];
    for (const binding of this.all()) {
      if (binding.connectionId === connectionId) {
        this.remove(binding.aor, binding.contactUri);
        removed.push(binding);
      }
    }
    return removed;
  }

  /** Live bindings of one AOR (expired ones are dropped as they are found). */
  list(aor: string): Binding[] {
    const contacts = this.byAor.get(aor);
    if (!contacts) return [];
    const live: Binding[] = [];
    for (const binding of contacts.values()) {
      if (binding.expiresAt <= this.now()) this.remove(aor, binding.contactUri);
      else live.push(binding);
    }
    return live;
  }

  all(): Binding[] {
    return [...this.byAor.keys()].flatMap((aor) => this.list(aor));
  }
}
