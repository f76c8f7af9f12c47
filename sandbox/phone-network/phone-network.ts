// The simulated phone network: every E.164 number that no sandbox account owns is an outside phone,
// and a sandbox endpoint that no SIP client has registered is answered by a simulated endpoint.
// Both ring per their behaviour (phone-behaviours.ts) and can be driven by hand through the control API.
import type { Directory } from '../context';
import { isE164, parseSipUri } from '../calls/dial-target';
import type { CallNetwork, LegControl, RingRequest, Ringer } from '../calls/network';
import { CallingPhone } from './calling-phone';
import type { FarEnd } from './far-end';
import { PhoneBehaviours } from './phone-behaviours';
import { RungPhone } from './rung-phone';

export interface PhoneNetworkOptions {
  directory: Directory;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export class PhoneNetwork {
  readonly behaviours = new PhoneBehaviours();
  private readonly farEnds = new Map<string, FarEnd>();

  constructor(private readonly options: PhoneNetworkOptions) {}

  /** Rings outside numbers (E.164, not owned by any sandbox account). */
  readonly outsidePhones: Ringer = {
    ring: (request) => {
      if (!isE164(request.to) || this.options.directory.findNumber(request.to)) return undefined;
      return this.ring(request, 'outside-phone');
    },
  };

  /** Rings sandbox endpoints that no earlier ringer (the SIP side) took. */
  readonly simulatedEndpoints: Ringer = {
    ring: (request) => {
      const sip = parseSipUri(request.to);
      if (!sip || !this.options.directory.findEndpoint(sip.user, sip.host)) return undefined;
      return this.ring(request, 'simulated-endpoint');
    },
  };

  /** An outside phone calls `to`; with `tone` media it makes the SDP offer. */
  async callFromOutside(
    network: CallNetwork,
    input: { from: string; to: string; media: 'tone' | 'none' },
  ): Promise<string> {
    const { callId, phone } = await CallingPhone.place(network, {
      kind: 'outside-phone',
      ...input,
      log: this.options.log,
    });
    this.farEnds.set(callId, phone);
    return callId;
  }

  /** A sandbox endpoint places a call without SIP or media: the same path a SIP INVITE takes. */
  async callFromEndpoint(
    network: CallNetwork,
    input: { sipUri: string; endpointId: string; to: string },
  ): Promise<string> {
    const { callId, phone } = await CallingPhone.place(network, {
      kind: 'simulated-endpoint',
      from: input.sipUri,
      to: input.to,
      endpointId: input.endpointId,
      media: 'none',
      log: this.options.log,
    });
    this.farEnds.set(callId, phone);
    return callId;
  }

  /** The simulated far side of Catapult leg `callId`, if the sandbox simulates it. */
  farEnd(callId: string): FarEnd | undefined {
    return this.farEnds.get(callId);
  }

  close(): void {
    for (const farEnd of this.farEnds.values()) {
      if (farEnd.state !== 'ended') farEnd.hangUp();
    }
  }

  private ring(request: RingRequest, kind: 'outside-phone' | 'simulated-endpoint'): LegControl {
    const settings = this.behaviours.get(request.to, kind === 'outside-phone' ? 'outsidePhone' : 'simulatedEndpoint');
    const phone = new RungPhone(kind, request, settings, this.options.log);
    this.farEnds.set(request.callId, phone);
    return phone.control;
  }
}
