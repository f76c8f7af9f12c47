// The Bandwidth account's provisioning state: sites (sub-accounts), SIP peers (locations) with their origination
// settings, applications, numbers in service, and the order and disconnect records. One store per sandbox.
import { randomInt, randomUUID } from 'node:crypto';
import { NumberInventory, type InventoryNumber } from '../../model/inventory';

export type ServiceType = 'Voice-V2' | 'Messaging-V2';

export interface BwApplication {
  id: string; // UUID, as Bandwidth's application ids are
  serviceType: ServiceType;
  appName: string;
  callInitiatedCallbackUrl?: string;
  callInitiatedMethod: 'GET' | 'POST';
  callStatusCallbackUrl?: string;
  callStatusMethod: 'GET' | 'POST';
  callbackCreds?: { userId: string; password?: string };
  msgCallbackUrl?: string;
}

export interface BwSite {
  id: string; // numeric string
  name: string;
  description?: string;
  /** The address as sent (element name → text), echoed back in order. */
  address?: Array<[string, string]>;
}

export interface BwPeer {
  id: string; // numeric string
  siteId: string;
  name: string;
  description?: string;
  isDefault: boolean;
  /** Origination settings: the Voice-V2 application this location's numbers call. */
  voiceProtocol?: string;
  voiceV2AppId?: string;
}

export interface BwNumber {
  tn: string; // 10 digits, as the Numbers API writes numbers
  e164: string;
  siteId: string;
  peerId: string;
  orderId: string;
  inventory: InventoryNumber;
  activatedAt: number;
}

export type OrderStatus = 'RECEIVED' | 'COMPLETE' | 'PARTIAL' | 'FAILED';

export interface FailedNumber {
  tn: string;
  code: number;
  description: string;
}

export interface BwOrder {
  id: string;
  name?: string;
  customerOrderId?: string;
  siteId: string;
  peerId: string;
  partialAllowed: boolean;
  backOrderRequested: boolean;
  request: { kind: 'existing'; tns: string[] } | { kind: 'areaCode'; areaCode: string; quantity: number };
  createdAt: number;
  status: OrderStatus;
  completed: string[];
  failed: FailedNumber[];
  completedAt?: number;
}

export interface BwDisconnect {
  id: string;
  name?: string;
  tns: string[];
  createdAt: number;
  status: OrderStatus;
  completed: string[];
  failed: FailedNumber[];
  completedAt?: number;
}

export class NumbersStore {
  readonly sites = new Map<string, BwSite>();
  readonly peers = new Map<string, BwPeer>();
  readonly applications = new Map<string, BwApplication>();
  readonly numbers = new Map<string, BwNumber>(); // by tn
  readonly orders = new Map<string, BwOrder>();
  readonly disconnects = new Map<string, BwDisconnect>();
  readonly inventory: NumberInventory;
  private nextNumericId = 10_000 + randomInt(80_000);

  constructor(seed: string | undefined) {
    this.inventory = new NumberInventory(seed);
  }

  numericId(): string {
    this.nextNumericId += 1;
    return String(this.nextNumericId);
  }

  uuid(): string {
    return randomUUID();
  }

  /** A number in service on the account, by E.164 or 10 digits. */
  findNumber(number: string): BwNumber | undefined {
    return this.numbers.get(toTn(number));
  }

  /** The Voice-V2 application a number's calls go to: the one its location's origination settings name. */
  applicationOfNumber(number: string): BwApplication | undefined {
    const owned = this.findNumber(number);
    const peer = owned && this.peers.get(owned.peerId);
    const application = peer?.voiceV2AppId ? this.applications.get(peer.voiceV2AppId) : undefined;
    return application?.serviceType === 'Voice-V2' ? application : undefined;
  }

  voiceApplications(): BwApplication[] {
    return [...this.applications.values()].filter((a) => a.serviceType === 'Voice-V2');
  }
}

/** "+19195551212" or "19195551212" or "9195551212" → "9195551212". Other input is returned unchanged. */
export function toTn(number: string): string {
  const digits = number.replace(/^\+/, '');
  return /^1\d{10}$/.test(digits) ? digits.slice(1) : digits;
}

export function toE164(tn: string): string {
  return `+1${tn}`;
}
