// Raw Catapult JSON → the typed resources of catapult-api.ts. Optional fields stay absent rather than
// becoming "", so callers can tell "not set" from "empty".
import type {
  Application,
  AvailableNumber,
  Call,
  Domain,
  Endpoint,
  EndpointToken,
  OrderedNumber,
  PhoneNumber,
} from './catapult-api';
import { idFromLocation } from './location-id';
import {
  applicationIdOf,
  asRecord,
  definedOnly,
  normaliseSipUri,
  toBoolean,
  toOptionalNumber,
  toOptionalString,
  toText,
} from './normalise';

export function toAvailableNumber(value: unknown): AvailableNumber {
  const raw = asRecord(value);
  return {
    number: toText(raw.number),
    nationalNumber: toText(raw.nationalNumber),
    ...definedOnly({
      city: toOptionalString(raw.city),
      state: toOptionalString(raw.state),
      rateCenter: toOptionalString(raw.rateCenter),
      lata: toOptionalString(raw.lata),
      patternMatch: toOptionalString(raw.patternMatch),
      price: toOptionalString(raw.price),
    }),
  };
}

export function toOrderedNumber(value: unknown): OrderedNumber {
  const raw = asRecord(value);
  const location = toText(raw.location);
  return {
    id: idFromLocation(location) ?? toText(raw.id),
    number: toText(raw.number),
    nationalNumber: toText(raw.nationalNumber),
    location,
    ...definedOnly({ price: toOptionalString(raw.price) }),
  };
}

export function toPhoneNumber(value: unknown): PhoneNumber {
  const raw = asRecord(value);
  return {
    id: toText(raw.id),
    number: toText(raw.number),
    nationalNumber: toText(raw.nationalNumber),
    ...definedOnly({
      name: toOptionalString(raw.name),
      applicationId: applicationIdOf(raw),
      fallbackNumber: toOptionalString(raw.fallbackNumber),
      city: toOptionalString(raw.city),
      state: toOptionalString(raw.state),
      price: toOptionalString(raw.price),
      createdTime: toOptionalString(raw.createdTime),
      numberState: toOptionalString(raw.numberState),
    }),
  };
}

function toHttpMethod(value: unknown): 'GET' | 'POST' | undefined {
  // SDK docs write lowercase get/post (docs/contracts/catapult-v1.md §7).
  const upper = toOptionalString(value)?.toUpperCase();
  return upper === 'GET' || upper === 'POST' ? upper : undefined;
}

export function toApplication(value: unknown): Application {
  const raw = asRecord(value);
  return {
    id: toText(raw.id),
    name: toText(raw.name),
    autoAnswer: toBoolean(raw.autoAnswer, true), // Catapult's default (docs/contracts/catapult-v1.md §7)
    ...definedOnly({
      incomingCallUrl: toOptionalString(raw.incomingCallUrl),
      incomingCallUrlCallbackTimeout: toOptionalNumber(raw.incomingCallUrlCallbackTimeout),
      incomingCallFallbackUrl: toOptionalString(raw.incomingCallFallbackUrl),
      callbackHttpMethod: toHttpMethod(raw.callbackHttpMethod),
    }),
  };
}

export function toDomain(value: unknown): Domain {
  const raw = asRecord(value);
  return {
    id: toText(raw.id),
    name: toText(raw.name),
    ...definedOnly({ description: toOptionalString(raw.description) }),
  };
}

export function toEndpoint(value: unknown, domainIdFromPath: string): Endpoint {
  const raw = asRecord(value);
  const credentials = asRecord(raw.credentials);
  return {
    id: toText(raw.id),
    name: toText(raw.name),
    domainId: toOptionalString(raw.domainId) ?? domainIdFromPath,
    enabled: toBoolean(raw.enabled, true), // Catapult's default (docs/contracts/catapult-v1.md §9)
    sipUri: normaliseSipUri(raw.sipUri),
    credentials: {
      realm: toText(credentials.realm),
      username: toOptionalString(credentials.username) ?? toText(raw.name),
    },
    ...definedOnly({
      description: toOptionalString(raw.description),
      applicationId: applicationIdOf(raw),
    }),
  };
}

export function toEndpointToken(value: unknown): EndpointToken {
  const raw = asRecord(value);
  return { token: toText(raw.token), expires: toOptionalNumber(raw.expires) ?? 0 };
}

export function toCall(value: unknown): Call {
  const raw = asRecord(value);
  return {
    id: toText(raw.id),
    direction: toText(raw.direction) === 'in' ? 'in' : 'out',
    from: toText(raw.from),
    to: toText(raw.to),
    state: toText(raw.state),
    ...definedOnly({
      startTime: toOptionalString(raw.startTime),
      activeTime: toOptionalString(raw.activeTime),
      endTime: toOptionalString(raw.endTime),
      callbackUrl: toOptionalString(raw.callbackUrl),
      tag: toOptionalString(raw.tag),
    }),
  };
}
