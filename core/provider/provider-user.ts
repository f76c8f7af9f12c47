// A user as the provider parts see them (the route action's callee, the browser token's owner): who, their
// number, and their calling identity where the provider has one. Never the sealed SIP password.
export interface ProviderUser {
  username: string;
  number: string; // E.164
  /** The identity's ref (the user's `endpointId`), sipUri and realm, where the provider has identities. */
  identityRef?: string;
  sipUri?: string;
  realm?: string;
}
