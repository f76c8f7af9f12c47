// A small BXML writer for the verbs the app answers callbacks with (docs/contracts/bandwidth-v2.md §10): Ring,
// Redirect, SpeakSentence, PlayAudio, Record, Pause, Transfer + PhoneNumber, Bridge, Hangup. Every attribute value and text is
// escaped, characters XML 1.0 cannot carry are refused (a document Bandwidth cannot parse fails the call), and a
// document over Bandwidth's 64 KB limit is refused here rather than by the call.
export const BXML_CONTENT_TYPE = 'application/xml';
export const MAX_BXML_BYTES = 64 * 1024;
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** One element; build them with the verb functions below. */
export interface BxmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Text content (escaped when written) or child elements. */
  readonly content?: string | readonly BxmlElement[];
}

export type RedirectMethod = 'GET' | 'POST';

/** Rings the caller for `duration` seconds; `answerCall` (Bandwidth's default true) answers an unanswered call. */
export function ring(options: { duration: number; answerCall?: boolean }): BxmlElement {
  return element('Ring', { duration: seconds(options.duration), answerCall: options.answerCall });
}

/** Sends a `redirect` callback to `redirectUrl` and runs the BXML it answers with instead of the rest. */
export function redirect(options: { redirectUrl: string; redirectMethod?: RedirectMethod }): BxmlElement {
  return element('Redirect', { redirectUrl: options.redirectUrl, redirectMethod: options.redirectMethod });
}

export function speakSentence(text: string, options: { voice?: string } = {}): BxmlElement {
  return element('SpeakSentence', { voice: options.voice }, text);
}

/** Plays the audio file at `url` (WAV or MP3, fetched by Bandwidth) to the caller. */
export function playAudio(url: string): BxmlElement {
  return element('PlayAudio', {}, url);
}

export interface RecordOptions {
  /** Seconds, 1–10800 (Bandwidth's default 60). */
  maxDuration: number;
  /** Digits that end the recording (and are not recorded). */
  terminatingDigits?: string;
  /** Where `recordingAvailable` is sent once the recording can be downloaded. */
  recordingAvailableUrl: string;
  recordingAvailableMethod?: RedirectMethod;
  fileFormat?: 'wav' | 'mp3';
}

/** Records the caller until hang-up, a terminating digit or `maxDuration`; the next verb then runs. */
export function record(options: RecordOptions): BxmlElement {
  if (!(options.maxDuration >= 1 && options.maxDuration <= 10_800))
    throw new Error('A Record maxDuration is 1 to 10800 seconds.');
  return element('Record', {
    maxDuration: options.maxDuration,
    terminatingDigits: options.terminatingDigits,
    recordingAvailableUrl: options.recordingAvailableUrl,
    recordingAvailableMethod: options.recordingAvailableMethod,
    fileFormat: options.fileFormat,
  });
}

export function pause(options: { duration: number }): BxmlElement {
  return element('Pause', { duration: seconds(options.duration) });
}

export interface TransferOptions {
  transferCallerId?: string;
  /** Seconds the targets ring, 1–300. */
  callTimeout?: number;
  transferCompleteUrl?: string;
  transferCompleteMethod?: RedirectMethod;
}

/** Rings 1–8 targets at once and joins the first to answer with the caller. */
export function transfer(options: TransferOptions, targets: readonly BxmlElement[]): BxmlElement {
  if (targets.length < 1 || targets.length > 8) throw new Error('A Transfer rings 1 to 8 targets.');
  if (options.callTimeout !== undefined && !(options.callTimeout >= 1 && options.callTimeout <= 300))
    throw new Error('A Transfer callTimeout is 1 to 300 seconds.');
  return element(
    'Transfer',
    {
      transferCallerId: options.transferCallerId,
      callTimeout: options.callTimeout,
      transferCompleteUrl: options.transferCompleteUrl,
      transferCompleteMethod: options.transferCompleteMethod,
    },
    targets,
  );
}

export function phoneNumber(
  number: string,
  options: { transferAnswerUrl?: string; transferDisconnectUrl?: string } = {},
): BxmlElement {
  return element(
    'PhoneNumber',
    { transferAnswerUrl: options.transferAnswerUrl, transferDisconnectUrl: options.transferDisconnectUrl },
    number,
  );
}

/** Joins this call with the call `callId`, whose own BXML stops. */
export function bridge(
  callId: string,
  options: { bridgeCompleteUrl?: string; bridgeTargetCompleteUrl?: string } = {},
): BxmlElement {
  return element(
    'Bridge',
    { bridgeCompleteUrl: options.bridgeCompleteUrl, bridgeTargetCompleteUrl: options.bridgeTargetCompleteUrl },
    callId,
  );
}

export function hangup(): BxmlElement {
  return element('Hangup', {});
}

/** The document a callback answers with: `<Response>` and its verbs, at most 64 KB. */
export function response(...verbs: BxmlElement[]): string {
  const document = `${DECLARATION}<Response>${verbs.map(write).join('')}</Response>`;
  if (Buffer.byteLength(document, 'utf8') > MAX_BXML_BYTES) throw new Error('The BXML document is over 64 KB.');
  return document;
}

function element(name: string, attributes: BxmlElement['attributes'], content?: BxmlElement['content']): BxmlElement {
  return { name, attributes, ...(content === undefined ? {} : { content }) };
}

/** Durations are written with at most one decimal place ("0.5", "5"), as Bandwidth's pages show them. */
function seconds(value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error('A BXML duration is a positive number of seconds.');
  return Math.round(value * 10) / 10;
}

function write(node: BxmlElement): string {
  const attributes = Object.entries(node.attributes)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
  const { content } = node;
  if (content === undefined || content.length === 0) return `<${node.name}${attributes}/>`;
  const inner = typeof content === 'string' ? escapeXml(content) : content.map(write).join('');
  return `<${node.name}${attributes}>${inner}</${node.name}>`;
}

// XML 1.0 allows tab, newline, carriage return and everything from U+0020 except the surrogates and U+FFFE/F.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function escapeXml(text: string): string {
  if (NOT_XML.test(text)) throw new Error('The text holds a character XML cannot carry.');
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}
