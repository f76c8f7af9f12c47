// The incoming-call channel, provider-free: the app tells a user's open dialpads about calls (an incoming call to
// answer, a call that stopped ringing). The webhook that parks a call and the dialpad's connection may be served
// by different instances, so the channel is a service both reach (Azure Web PubSub; locally its stand-in), never
// a list kept in memory.
import type { CallNotification, NotificationsAccess } from '../api-types';

export type { CallNotification, NotificationsAccess };

export interface UserNotifier {
  /**
   * Delivers `message` to every open connection of `username` (none open: nothing happens). Bounded in time.
   * Throws on a failure (the service refused or did not answer); the call path catches and logs it.
   */
  send(username: string, message: CallNotification): Promise<void>;
  /** Where `username`'s dialpad connects to receive its messages: a WebSocket URL with its own access token. */
  clientAccess(username: string): Promise<NotificationsAccess>;
}
