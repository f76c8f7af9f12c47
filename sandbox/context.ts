// What the parts of the sandbox share. server.ts builds one SandboxContext and hands it to
// the resource routes (rest/), the call model (calls/) and the SIP side (sip/).
// The sandbox imports nothing from core/, functions/ or web/: it is an independent reading of
// the Catapult contract (docs/contracts/catapult-v1.md), so a disagreement shows up in tests.

export interface SandboxAccount {
  userId: string;
  apiToken: string;
  apiSecret: string;
}

export interface SandboxRequest {
  method: string;
  url: URL; // absolute, built from the sandbox's base URL
  params: Record<string, string>; // route parameters, URL-decoded (%2B → +)
  query: URLSearchParams;
  headers: Record<string, string | undefined>; // lower-case names
  body: unknown; // parsed JSON when the body is JSON, the raw string otherwise, undefined when empty
  /** The authenticated account, for routes registered with auth 'catapult'. */
  account?: SandboxAccount;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects and arrays are sent as JSON; strings as given (set content-type in headers). */
  body?: unknown;
}

export type RouteHandler = (request: SandboxRequest) => Promise<SandboxResponse> | SandboxResponse;

export interface RouteOptions {
  /** 'catapult': HTTP Basic token:secret required, and a `:userId` param must be that account's. Default 'catapult'. */
  auth?: 'catapult' | 'none';
  /** Rate-limit family for forced 429s (e.g. 'calls'); defaults to the first segment after /users/:userId. */
  family?: string;
}

export interface Router {
  /** pattern like '/v1/users/:userId/calls/:callId'. Handlers throw SandboxHttpError for Catapult errors. */
  add(method: string, pattern: string, handler: RouteHandler, options?: RouteOptions): void;
}

export interface ApplicationRecord {
  id: string;
  userId: string;
  name: string;
  incomingCallUrl?: string;
  incomingCallUrlCallbackTimeout?: number; // ms
  incomingCallFallbackUrl?: string;
  callbackHttpMethod: 'GET' | 'POST';
  autoAnswer: boolean;
}

export interface EndpointRecord {
  id: string;
  userId: string;
  domainId: string;
  domainName: string;
  name: string;
  applicationId?: string;
  enabled: boolean;
  password: string; // kept for the registrar's digest check; never returned by REST
  realm: string; // "<domainName>.bwapp.bwsip.io"
  sipUri: string; // "sip:<name>@<realm>"
}

export interface NumberRecord {
  userId: string;
  numberId: string;
  number: string; // E.164
  applicationId?: string;
}

/** Read-only view of the REST resources that the call model and the SIP side need. */
export interface Directory {
  /** An enabled (not released) phone number owned by some account. */
  findNumber(e164: string): NumberRecord | undefined;
  getApplication(userId: string, applicationId: string): ApplicationRecord | undefined;
  /** Case-insensitive realm; `name` is the endpoint name (SIP user part). */
  findEndpoint(name: string, realm: string): EndpointRecord | undefined;
  /** By endpoint id (`re-…`); optional so a Directory without it still type-checks. */
  getEndpoint?(endpointId: string): EndpointRecord | undefined;
  /** A token issued by the token endpoint, not expired and not revoked. */
  findEndpointByToken(token: string): EndpointRecord | undefined;
  getAccount(userId: string): SandboxAccount | undefined;
}

export interface SandboxContext {
  /** e.g. "http://127.0.0.1:8088" (no trailing slash). REST lives at `${baseUrl}/v1`. */
  readonly baseUrl: string;
  readonly router: Router;
  readonly directory: Directory;
  readonly now: () => number; // epoch ms
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
}
