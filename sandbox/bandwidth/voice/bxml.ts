// BXML documents (`<Response>` from callbacks, `<Bxml>` from PUT /calls/{id}/bxml) read into verbs the sandbox
// plays: Ring, Pause, SpeakSentence, PlayAudio, Record, Redirect, Transfer (PhoneNumber/SipUri), Bridge, Hangup.
// Other verbs of
// Bandwidth's BXML are skipped (recorded on the call), an unknown element or a bad attribute is invalid BXML.
// Callback URLs may be relative: they resolve against the URL that answered with the document
// (docs/contracts/bandwidth-v2.md §9.1); a document without one (PUT /calls/{id}/bxml) needs absolute URLs.
import { parseXml, XmlSyntaxError, type XmlElement } from '../http/xml';

export interface Callback {
  url: string;
  method: 'GET' | 'POST';
  username?: string;
  password?: string;
  fallbackUrl?: string;
  /** Credentials for the fallback URL (the verb's fallbackUsername/fallbackPassword). */
  fallbackUsername?: string;
  fallbackPassword?: string;
}

export interface TransferTarget {
  kind: 'phone' | 'sip';
  address: string;
  transferAnswer?: Callback;
  transferDisconnect?: Callback;
  tag?: string;
}

export type Verb =
  | { verb: 'Ring'; durationS: number; answerCall: boolean }
  | { verb: 'Pause'; durationS: number }
  | { verb: 'SpeakSentence'; text: string }
  | { verb: 'PlayAudio'; url: string; username?: string; password?: string }
  | {
      verb: 'Record';
      maxDurationS: number;
      /** Digits that end the recording ('' = none). */
      terminatingDigits: string;
      silenceTimeoutS?: number;
      fileFormat: 'wav';
      recordComplete?: Callback;
      recordingAvailable?: Callback;
      tag?: string;
    }
  | { verb: 'Redirect'; callback: Callback; tag?: string }
  | {
      verb: 'Transfer';
      transferCallerId?: string;
      callTimeoutS: number;
      transferComplete?: Callback;
      tag?: string;
      targets: TransferTarget[];
    }
  | { verb: 'Bridge'; targetCallId: string; bridgeComplete?: Callback; bridgeTargetComplete?: Callback; tag?: string }
  | { verb: 'Hangup' }
  | { verb: 'Skipped'; name: string };

/** Bandwidth verbs the sandbox accepts but does not play. */
const SKIPPED = new Set([
  'Gather',
  'StartRecording',
  'StopRecording',
  'PauseRecording',
  'ResumeRecording',
  'SendDtmf',
  'Conference',
  'Forward',
  'StartGather',
  'StopGather',
  'StartStream',
  'StopStream',
  'StartTranscription',
  'StopTranscription',
  'Tag',
  'Connect',
]);

export const MAX_BXML_BYTES = 64 * 1024;

export class InvalidBxml extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidBxml';
  }
}

export function parseBxml(text: string, root: 'Response' | 'Bxml' = 'Response', baseUrl?: string): Verb[] {
  if (Buffer.byteLength(text) > MAX_BXML_BYTES) throw new InvalidBxml('BXML is larger than 64 KB');
  let document: XmlElement;
  try {
    document = parseXml(text);
  } catch (error) {
    throw new InvalidBxml(error instanceof XmlSyntaxError ? error.message : 'not XML');
  }
  if (document.name !== root) throw new InvalidBxml(`the root element must be <${root}>, not <${document.name}>`);
  return document.children.map((element) => readVerb(element, baseUrl));
}

function readVerb(element: XmlElement, baseUrl: string | undefined): Verb {
  const a = element.attributes;
  const callback = (prefix: string, required: boolean) => readCallback(a, prefix, required, baseUrl);
  switch (element.name) {
    case 'Ring':
      return {
        verb: 'Ring',
        durationS: seconds(a.duration, 5, 'Ring duration', 0.1, 86_400),
        answerCall: bool(a.answerCall, true, 'answerCall'),
      };
    case 'Pause':
      return { verb: 'Pause', durationS: seconds(a.duration, 1, 'Pause duration', 0.1, 86_400) };
    case 'SpeakSentence':
      if (element.text.trim() === '' && element.children.length === 0)
        throw new InvalidBxml('SpeakSentence needs text');
      return { verb: 'SpeakSentence', text: element.text.trim() };
    case 'PlayAudio': {
      const raw = element.text.trim();
      if (raw === '') throw new InvalidBxml('PlayAudio needs the URL of the audio');
      return {
        verb: 'PlayAudio',
        url: resolveUrl(raw, 'PlayAudio URL', baseUrl),
        ...(a.username === undefined ? {} : { username: a.username }),
        ...(a.password === undefined ? {} : { password: a.password }),
      };
    }
    case 'Record':
      return readRecord(a, baseUrl);
    case 'Redirect':
      return {
        verb: 'Redirect',
        callback: callback('redirect', true)!,
        ...(a.tag === undefined ? {} : { tag: a.tag }),
      };
    case 'Transfer': {
      const targets = element.children.map((child) => readTarget(child, baseUrl));
      if (targets.length === 0) throw new InvalidBxml('Transfer needs at least one PhoneNumber or SipUri');
      if (targets.length > 8) throw new InvalidBxml('Transfer takes at most 8 PhoneNumber/SipUri');
      if (
        a.transferCallerId !== undefined &&
        !/^(\+1[2-9]\d{9}|sip:.+|Restricted|Anonymous|Private|Unavailable)$/.test(a.transferCallerId)
      ) {
        throw new InvalidBxml(`transferCallerId '${a.transferCallerId}' is not valid`);
      }
      const complete = callback('transferComplete', false);
      return {
        verb: 'Transfer',
        ...(a.transferCallerId === undefined ? {} : { transferCallerId: a.transferCallerId }),
        callTimeoutS: seconds(a.callTimeout, 30, 'callTimeout', 1, 300),
        ...(complete ? { transferComplete: complete } : {}),
        ...(a.tag === undefined ? {} : { tag: a.tag }),
        targets,
      };
    }
    case 'Bridge': {
      const target = element.text.trim();
      if (target === '') throw new InvalidBxml('Bridge needs the call id to bridge with');
      const complete = callback('bridgeComplete', false);
      const targetComplete = callback('bridgeTargetComplete', false);
      return {
        verb: 'Bridge',
        targetCallId: target,
        ...(complete ? { bridgeComplete: complete } : {}),
        ...(targetComplete ? { bridgeTargetComplete: targetComplete } : {}),
        ...(a.tag === undefined ? {} : { tag: a.tag }),
      };
    }
    case 'Hangup':
      return { verb: 'Hangup' };
    default:
      if (SKIPPED.has(element.name)) return { verb: 'Skipped', name: element.name };
      throw new InvalidBxml(`unknown verb <${element.name}>`);
  }
}

function readRecord(a: Record<string, string>, baseUrl: string | undefined): Verb {
  const digits = a.terminatingDigits ?? '';
  if (!/^[0-9*#]{0,12}$/.test(digits)) throw new InvalidBxml('terminatingDigits may only hold 0-9, * and #');
  const format = a.fileFormat ?? 'wav';
  // [undocumented] Bandwidth also records mp3; the sandbox writes WAV only and says so rather than mislabel a file.
  if (format !== 'wav') throw new InvalidBxml(`fileFormat '${format}' is not recorded by the sandbox (wav only)`);
  const complete = readCallback(a, 'recordComplete', false, baseUrl);
  const available = readCallback(a, 'recordingAvailable', false, baseUrl);
  return {
    verb: 'Record',
    maxDurationS: seconds(a.maxDuration, 60, 'maxDuration', 1, 10_800),
    terminatingDigits: digits,
    ...(a.silenceTimeout === undefined
      ? {}
      : { silenceTimeoutS: seconds(a.silenceTimeout, 0, 'silenceTimeout', 1, 10_800) }),
    fileFormat: 'wav',
    ...(complete ? { recordComplete: complete } : {}),
    ...(available ? { recordingAvailable: available } : {}),
    ...(a.tag === undefined ? {} : { tag: a.tag }),
  };
}

function readTarget(element: XmlElement, baseUrl: string | undefined): TransferTarget {
  if (element.name !== 'PhoneNumber' && element.name !== 'SipUri') {
    throw new InvalidBxml(`<Transfer> may only contain PhoneNumber or SipUri, not <${element.name}>`);
  }
  const address = element.text.trim();
  if (element.name === 'PhoneNumber' && !/^\+[1-9]\d{6,14}$/.test(address)) {
    throw new InvalidBxml(`PhoneNumber '${address}' is not E.164`);
  }
  if (element.name === 'SipUri' && !/^sips?:.+@.+/.test(address))
    throw new InvalidBxml(`SipUri '${address}' is not a SIP URI`);
  const a = element.attributes;
  const answer = readCallback(a, 'transferAnswer', false, baseUrl);
  const disconnect = readCallback(a, 'transferDisconnect', false, baseUrl);
  return {
    kind: element.name === 'PhoneNumber' ? 'phone' : 'sip',
    address,
    ...(answer ? { transferAnswer: answer } : {}),
    ...(disconnect ? { transferDisconnect: disconnect } : {}),
    ...(a.tag === undefined ? {} : { tag: a.tag }),
  };
}

/**
 * `<prefix>Url`, `<prefix>Method`, `<prefix>FallbackUrl` plus the verb's username/password and
 * fallbackUsername/fallbackPassword.
 */
function readCallback(
  a: Record<string, string>,
  prefix: string,
  required: boolean,
  baseUrl: string | undefined,
): Callback | undefined {
  const raw = a[`${prefix}Url`];
  if (raw === undefined || raw === '') {
    if (required) throw new InvalidBxml(`${prefix}Url is required`);
    return undefined;
  }
  const url = resolveUrl(raw, `${prefix}Url`, baseUrl);
  const method = (a[`${prefix}Method`] ?? 'POST').toUpperCase();
  if (method !== 'GET' && method !== 'POST') throw new InvalidBxml(`${prefix}Method must be GET or POST`);
  const fallback = a[`${prefix}FallbackUrl`];
  return {
    url,
    method,
    ...(a.username === undefined ? {} : { username: a.username }),
    ...(a.password === undefined ? {} : { password: a.password }),
    ...(fallback ? { fallbackUrl: resolveUrl(fallback, `${prefix}FallbackUrl`, baseUrl) } : {}),
    ...(a.fallbackUsername === undefined ? {} : { fallbackUsername: a.fallbackUsername }),
    ...(a.fallbackPassword === undefined ? {} : { fallbackPassword: a.fallbackPassword }),
  };
}

/** An absolute http(s) URL, or one relative to `baseUrl` when the document came from a URL. */
function resolveUrl(raw: string, name: string, baseUrl: string | undefined): string {
  let resolved: URL | undefined;
  try {
    resolved = new URL(raw, baseUrl);
  } catch {
    resolved = undefined;
  }
  if (!resolved || !/^https?:$/.test(resolved.protocol)) {
    throw new InvalidBxml(
      baseUrl ? `${name} must be an http(s) URL` : `${name} must be an absolute http(s) URL (no document URL here)`,
    );
  }
  return resolved.href;
}

function seconds(raw: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new InvalidBxml(`${name} must be a number from ${min} to ${max}`);
  return value;
}

function bool(raw: string | undefined, fallback: boolean, name: string): boolean {
  if (raw === undefined) return fallback;
  if (raw !== 'true' && raw !== 'false') throw new InvalidBxml(`${name} must be true or false`);
  return raw === 'true';
}
