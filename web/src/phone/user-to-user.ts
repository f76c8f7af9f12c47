// The SIP `User-to-User` header (RFC 7433) that carries an app-signed JWT to the app's webhook: Bandwidth
// passes its value to the `initiate` callback as `uui`, which is how the app learns WHICH user a call from an
// account-wide In-App Calling token belongs to (a caller token) or which parked call it picks up (a pickup token).
export function userToUserHeader(jwt: string): string {
  return `User-to-User: ${jwt};encoding=jwt`;
}

export function bearerHeader(token: string): string {
  return `Authorization: Bearer ${token}`;
}
