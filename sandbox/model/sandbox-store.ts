// The in-memory state behind the REST resources, and the read-only Directory the call model and the
// SIP side use. One store per sandbox; nothing is persisted.
import type { ApplicationRecord, Directory, EndpointRecord, NumberRecord, SandboxAccount } from '../context';
import { NumberInventory } from './inventory';

export const SIP_DOMAIN_SUFFIX = '.bwapp.bwsip.io';

export interface StoredNumber extends NumberRecord {
  nationalNumber: string;
  price: string;
  createdTime: string;
  name?: string;
  fallbackNumber?: string;
  city?: string;
  state?: string;
  rateCenter?: string;
  lata?: string;
}

export interface StoredApplication extends ApplicationRecord {
  incomingMessageUrl?: string;
  incomingMessageUrlCallbackTimeout?: number;
  incomingMessageFallbackUrl?: string;
}

export interface StoredDomain {
  id: string;
  userId: string;
  name: string;
  description?: string;
}

export interface StoredEndpoint extends EndpointRecord {
  description?: string;
}

export interface StoredToken {
  token: string;
  endpointId: string;
  expiresAt: number; // epoch ms
}

export class SandboxStore implements Directory {
  readonly accounts = new Map<string, SandboxAccount>();
  readonly numbers = new Map<string, StoredNumber>(); // by numberId; enabled numbers only
  readonly applications = new Map<string, StoredApplication>();
  readonly domains = new Map<string, StoredDomain>();
  readonly endpoints = new Map<string, StoredEndpoint>();
  readonly tokens = new Map<string, StoredToken>();
  readonly inventory: NumberInventory;
  /** E.164 numbers that were released: they can never be allocated again (docs/contracts/catapult-v1.md §6). */
  readonly releasedNumbers = new Set<string>();

  constructor(
    seed: string | undefined,
    private readonly now: () => number,
  ) {
    this.inventory = new NumberInventory(seed);
  }

  // ---- Directory ----

  findNumber(e164: string): NumberRecord | undefined {
    for (const number of this.numbers.values()) if (number.number === e164) return number;
    return undefined;
  }

  getApplication(userId: string, applicationId: string): ApplicationRecord | undefined {
    const application = this.applications.get(applicationId);
    return application && application.userId === userId ? application : undefined;
  }

  findEndpoint(name: string, realm: string): EndpointRecord | undefined {
    const domain = this.findDomainByRealm(realm);
    if (!domain) return undefined;
    for (const endpoint of this.endpoints.values()) {
      if (endpoint.domainId === domain.id && endpoint.name === name) return endpoint;
    }
    return undefined;
  }

  getEndpoint(endpointId: string): EndpointRecord | undefined {
    return this.endpoints.get(endpointId);
  }

  findEndpointByToken(token: string): EndpointRecord | undefined {
    const stored = this.tokens.get(token);
    if (!stored) return undefined;
    if (stored.expiresAt <= this.now()) {
      this.tokens.delete(token);
      return undefined;
    }
    return this.endpoints.get(stored.endpointId);
  }

  getAccount(userId: string): SandboxAccount | undefined {
    return this.accounts.get(userId);
  }

  // ---- helpers for the REST resources ----

  findAccountByToken(apiToken: string): SandboxAccount | undefined {
    for (const account of this.accounts.values()) if (account.apiToken === apiToken) return account;
    return undefined;
  }

  findDomainByRealm(realm: string): StoredDomain | undefined {
    const lower = realm.toLowerCase();
    if (!lower.endsWith(SIP_DOMAIN_SUFFIX)) return undefined;
    return this.findDomainByName(lower.slice(0, -SIP_DOMAIN_SUFFIX.length));
  }

  /** Domain names are DNS labels, so they are unique across accounts, compared case-insensitively. */
  findDomainByName(name: string): StoredDomain | undefined {
    const lower = name.toLowerCase();
    for (const domain of this.domains.values()) if (domain.name.toLowerCase() === lower) return domain;
    return undefined;
  }

  deleteEndpoint(endpointId: string): void {
    this.endpoints.delete(endpointId);
    for (const [token, stored] of this.tokens) if (stored.endpointId === endpointId) this.tokens.delete(token);
  }
}
