// A stateful in-memory CatapultApi for core unit tests: numbers, applications, domains, endpoints and
// call transfers, with a request log and one-shot fault injection per method.
import type {
  AllocatePhoneNumberInput,
  Application,
  ApplicationInput,
  AvailableNumber,
  CallAudioInput,
  CallRecordingInput,
  CatapultApi,
  CatapultErrorShape,
  Domain,
  Endpoint,
  EndpointInput,
  PhoneNumber,
  PhoneNumberUpdate,
  Recording,
  TransferInput,
} from '../../../../core/catapult/catapult-api';

export class FakeCatapultError extends Error implements CatapultErrorShape {
  details: Array<{ name: string; value: string }> = [];
  constructor(
    readonly status: number,
    readonly code: string,
    readonly category = status === 0 ? 'network' : status >= 500 ? 'unavailable' : 'bad-request',
    readonly method = 'POST',
    readonly path = '/fake',
  ) {
    super(`${status} ${code}`);
  }
}

type Fault = Error | ((...args: unknown[]) => Error | undefined);

export class FakeCatapult implements CatapultApi {
  readonly userId = 'u-fake';
  readonly log: Array<{ method: string; args: unknown[] }> = [];
  readonly available = new Set<string>(['+19195551001', '+19195551002', '+19195551003']);
  readonly numbers = new Map<string, PhoneNumber>();
  readonly applications = new Map<string, Application>();
  readonly domains = new Map<string, Domain>();
  readonly endpoints = new Map<string, Endpoint & { password: string }>();
  readonly transfers: Array<{ callId: string; input: TransferInput; newId: string }> = [];
  readonly hungUp: string[] = [];
  readonly tokens: string[] = [];
  private faults = new Map<string, Fault[]>();
  private seq = 0;

  /** The next call(s) of `method` throw (a function fault may return undefined to let the call through). */
  failNext(method: keyof CatapultApi, ...faults: Fault[]): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), ...faults]);
  }

  count(method: keyof CatapultApi): number {
    return this.log.filter((e) => e.method === method).length;
  }

  private enter(method: string, args: unknown[]): void {
    this.log.push({ method, args });
    const queue = this.faults.get(method);
    const fault = queue?.shift();
    if (!fault) return;
    const error = fault instanceof Error ? fault : fault(...args);
    if (error) throw error;
  }

  private id(prefix: string): string {
    return `${prefix}-${String(++this.seq).padStart(25, '0')}`;
  }

  async searchLocalNumbers(query: object): Promise<AvailableNumber[]> {
    this.enter('searchLocalNumbers', [query]);
    return [...this.available].map((number) => ({
      number,
      nationalNumber: `(${number.slice(2, 5)}) ${number.slice(5, 8)}-${number.slice(8)}`,
      city: 'CARY',
      state: 'NC',
    }));
  }
  async orderLocalNumbers(): Promise<never> {
    throw new Error('not used by the core');
  }
  async allocatePhoneNumber(input: AllocatePhoneNumberInput): Promise<{ id: string }> {
    this.enter('allocatePhoneNumber', [input]);
    if (input.applicationId && !this.applications.has(input.applicationId))
      throw new FakeCatapultError(404, 'application-not-found', 'not-found');
    if (!this.available.has(input.number)) throw new FakeCatapultError(409, 'duplicate-number', 'conflict');
    this.available.delete(input.number);
    const id = this.id('n');
    this.numbers.set(id, {
      id,
      number: input.number,
      nationalNumber: input.number,
      name: input.name,
      applicationId: input.applicationId,
      numberState: 'enabled',
    });
    return { id };
  }
  async getPhoneNumber(idOrNumber: string): Promise<PhoneNumber> {
    this.enter('getPhoneNumber', [idOrNumber]);
    const found = this.numbers.get(idOrNumber) ?? [...this.numbers.values()].find((n) => n.number === idOrNumber);
    if (!found) throw new FakeCatapultError(404, 'number-not-found', 'not-found', 'GET');
    return { ...found };
  }
  async *listPhoneNumbers(): AsyncIterable<PhoneNumber> {
    this.enter('listPhoneNumbers', []);
    yield* [...this.numbers.values()];
  }
  async updatePhoneNumber(idOrNumber: string, update: PhoneNumberUpdate): Promise<void> {
    this.enter('updatePhoneNumber', [idOrNumber, update]);
    const found = this.numbers.get(idOrNumber) ?? [...this.numbers.values()].find((n) => n.number === idOrNumber);
    if (!found) throw new FakeCatapultError(404, 'number-not-found', 'not-found');
    Object.assign(found, update);
  }
  async deletePhoneNumber(idOrNumber: string): Promise<void> {
    this.enter('deletePhoneNumber', [idOrNumber]);
    if (!this.numbers.delete(idOrNumber)) throw new FakeCatapultError(404, 'number-not-found', 'not-found', 'DELETE');
  }
  async createApplication(input: ApplicationInput): Promise<{ id: string }> {
    this.enter('createApplication', [input]);
    const id = this.id('a');
    this.applications.set(id, { autoAnswer: true, ...input, id });
    return { id };
  }
  async getApplication(id: string): Promise<Application> {
    this.enter('getApplication', [id]);
    const found = this.applications.get(id);
    if (!found) throw new FakeCatapultError(404, 'application-not-found', 'not-found', 'GET');
    return { ...found };
  }
  async *listApplications(): AsyncIterable<Application> {
    this.enter('listApplications', []);
    yield* [...this.applications.values()];
  }
  async updateApplication(id: string, update: Partial<ApplicationInput>): Promise<void> {
    this.enter('updateApplication', [id, update]);
    const found = this.applications.get(id);
    if (!found) throw new FakeCatapultError(404, 'application-not-found', 'not-found');
    Object.assign(found, update);
  }
  async deleteApplication(id: string): Promise<void> {
    this.enter('deleteApplication', [id]);
    this.applications.delete(id);
  }
  async createDomain(input: { name: string; description: string }): Promise<{ id: string }> {
    this.enter('createDomain', [input]);
    if ([...this.domains.values()].some((d) => d.name === input.name))
      throw new FakeCatapultError(409, 'conflict', 'conflict');
    const id = this.id('rd');
    this.domains.set(id, { id, ...input });
    return { id };
  }
  async getDomain(id: string): Promise<Domain> {
    this.enter('getDomain', [id]);
    const found = this.domains.get(id);
    if (!found) throw new FakeCatapultError(404, 'domain-not-found', 'not-found', 'GET');
    return { ...found };
  }
  async *listDomains(): AsyncIterable<Domain> {
    this.enter('listDomains', []);
    yield* [...this.domains.values()];
  }
  async deleteDomain(id: string): Promise<void> {
    this.enter('deleteDomain', [id]);
    this.domains.delete(id);
  }
  async createEndpoint(domainId: string, input: EndpointInput): Promise<{ id: string }> {
    this.enter('createEndpoint', [domainId, input]);
    const domain = this.domains.get(domainId);
    if (!domain) throw new FakeCatapultError(404, 'resource-not-found', 'not-found');
    if ([...this.endpoints.values()].some((e) => e.domainId === domainId && e.name === input.name))
      throw new FakeCatapultError(409, 'conflict', 'conflict');
    const id = this.id('re');
    const realm = `${domain.name}.bwapp.bwsip.io`;
    this.endpoints.set(id, {
      id,
      name: input.name,
      domainId,
      applicationId: input.applicationId,
      enabled: input.enabled ?? true,
      sipUri: `sip:${input.name}@${realm}`,
      credentials: { realm, username: input.name },
      password: input.password,
    });
    return { id };
  }
  async getEndpoint(domainId: string, endpointId: string): Promise<Endpoint> {
    this.enter('getEndpoint', [domainId, endpointId]);
    const found = this.endpoints.get(endpointId);
    if (!found || found.domainId !== domainId)
      throw new FakeCatapultError(404, 'resource-not-found', 'not-found', 'GET');
    const { password: _p, ...endpoint } = found;
    return endpoint;
  }
  async *listEndpoints(domainId: string): AsyncIterable<Endpoint> {
    this.enter('listEndpoints', [domainId]);
    for (const { password: _p, ...e } of this.endpoints.values()) if (e.domainId === domainId) yield e;
  }
  async updateEndpoint(
    domainId: string,
    endpointId: string,
    update: { password?: string; applicationId?: string },
  ): Promise<void> {
    this.enter('updateEndpoint', [domainId, endpointId, update]);
    const found = this.endpoints.get(endpointId);
    if (!found) throw new FakeCatapultError(404, 'resource-not-found', 'not-found');
    if (update.password) found.password = update.password;
    if (update.applicationId !== undefined) found.applicationId = update.applicationId;
  }
  async deleteEndpoint(domainId: string, endpointId: string): Promise<void> {
    this.enter('deleteEndpoint', [domainId, endpointId]);
    if (!this.endpoints.delete(endpointId))
      throw new FakeCatapultError(404, 'resource-not-found', 'not-found', 'DELETE');
  }
  async createEndpointToken(domainId: string, endpointId: string, expires = 3600) {
    this.enter('createEndpointToken', [domainId, endpointId, expires]);
    const token = `tok-${++this.seq}`;
    this.tokens.push(token);
    return { token, expires };
  }
  async deleteEndpointToken(): Promise<void> {}
  async createCall(): Promise<{ id: string }> {
    throw new Error('not used by the core');
  }
  async getCall(): Promise<never> {
    throw new Error('not used by the core');
  }
  async answerCall(): Promise<void> {}
  async rejectCall(): Promise<void> {}
  async hangUpCall(callId: string): Promise<void> {
    this.enter('hangUpCall', [callId]);
    this.hungUp.push(callId);
  }
  async transferCall(callId: string, input: TransferInput): Promise<{ id: string }> {
    this.enter('transferCall', [callId, input]);
    const newId = this.id('c');
    this.transfers.push({ callId, input, newId });
    return { id: newId };
  }
  /** What was played to calls and recording switched on for, in order (the voicemail's REST chain). */
  readonly played: Array<{ callId: string; input: CallAudioInput | CallRecordingInput }> = [];
  /** Recordings by id, with the media file each names (`${media url}` → bytes). */
  readonly recordings = new Map<string, { media: string; bytes: Buffer }>();
  async playToCall(callId: string, input: CallAudioInput): Promise<void> {
    this.enter('playToCall', [callId, input]);
    this.played.push({ callId, input });
  }
  async setCallRecording(callId: string, input: CallRecordingInput): Promise<void> {
    this.enter('setCallRecording', [callId, input]);
    this.played.push({ callId, input });
  }
  async getRecording(recordingId: string): Promise<Recording> {
    this.enter('getRecording', [recordingId]);
    const recording = this.recordings.get(recordingId);
    if (!recording) throw new FakeCatapultError(404, 'recording-not-found', 'not-found', 'GET');
    return { id: recordingId, media: recording.media, state: 'complete' };
  }
  async downloadMedia(mediaUrl: string): Promise<{ bytes: Buffer; contentType: string }> {
    this.enter('downloadMedia', [mediaUrl]);
    const recording = [...this.recordings.values()].find((r) => r.media === mediaUrl);
    if (!recording) throw new FakeCatapultError(404, 'media-not-found', 'not-found', 'GET');
    return { bytes: recording.bytes, contentType: 'audio/wav' };
  }
}
