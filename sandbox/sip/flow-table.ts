// Which WebSocket reaches which SIP client. Browsers put a random `xxxx.invalid` host in their Via and Contact
// (RFC 7118 §5): it cannot be resolved, so every host seen on a connection is remembered against it, and a request
// to a Contact like `sip:abc@q1w2e3.invalid;transport=ws` goes down the connection that host arrived on.

export interface SipConnection {
  readonly id: string;
  send(text: string): void;
}

export class FlowTable {
  private readonly connections = new Map<string, SipConnection>();
  private readonly hosts = new Map<string, string>(); // lower-case .invalid host → connection id

  add(connection: SipConnection): void {
    this.connections.set(connection.id, connection);
  }

  /** Forgets the connection and every host learnt on it. */
  remove(connectionId: string): void {
    this.connections.delete(connectionId);
    for (const [host, id] of this.hosts) if (id === connectionId) this.hosts.delete(host);
  }

  /** Only `.invalid` hosts are learnt: a real host name must never be captured by whichever socket used it first. */
  learn(host: string | undefined, connectionId: string): void {
    if (host && host.toLowerCase().endsWith('.invalid') && this.connections.has(connectionId)) {
      this.hosts.set(host.toLowerCase(), connectionId);
    }
  }

  get(connectionId: string): SipConnection | undefined {
    return this.connections.get(connectionId);
  }

  byHost(host: string): SipConnection | undefined {
    const id = this.hosts.get(host.toLowerCase());
    return id === undefined ? undefined : this.connections.get(id);
  }

  get size(): number {
    return this.connections.size;
  }
}
