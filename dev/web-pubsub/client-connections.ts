// The clients connected to the stand-in, by hub and user id: what "send to user" delivers to. A user may have
// several connections (one per open dialpad); anonymous connections (no `sub` in their token) are kept too,
// as the real service keeps them, but no user-addressed message reaches them.
import type { WebSocket } from 'ws';

export class ClientConnections {
  private readonly byHub = new Map<string, Map<string, Set<WebSocket>>>();
  private readonly all = new Set<WebSocket>();

  add(hub: string, userId: string | undefined, socket: WebSocket): void {
    this.all.add(socket);
    socket.once('close', () => this.remove(hub, userId, socket));
    if (userId === undefined) return;
    const users = this.byHub.get(hub) ?? new Map<string, Set<WebSocket>>();
    this.byHub.set(hub, users);
    const sockets = users.get(userId) ?? new Set<WebSocket>();
    users.set(userId, sockets);
    sockets.add(socket);
  }

  /** The open connections of one user in one hub. */
  ofUser(hub: string, userId: string): WebSocket[] {
    return [...(this.byHub.get(hub)?.get(userId) ?? [])].filter((socket) => socket.readyState === socket.OPEN);
  }

  /** Every open connection, or one user's; for tests that simulate a dropped network. */
  list(filter?: { hub: string; userId: string }): WebSocket[] {
    if (filter) return this.ofUser(filter.hub, filter.userId);
    return [...this.all].filter((socket) => socket.readyState === socket.OPEN);
  }

  private remove(hub: string, userId: string | undefined, socket: WebSocket): void {
    this.all.delete(socket);
    if (userId === undefined) return;
    const users = this.byHub.get(hub);
    const sockets = users?.get(userId);
    sockets?.delete(socket);
    if (sockets?.size === 0) users!.delete(userId);
    if (users?.size === 0) this.byHub.delete(hub);
  }
}
