// What the BXML runner asks of the call engine. Its own module so the runner and the engine do not import each
// other (the engine implements it and hands itself to the runner).
import type { BwCall, DisconnectCause } from './bw-call';
import type { Callback, TransferTarget } from './bxml';
import type { callbackPayload, EventType } from './payloads';

export interface CallOps {
  readonly calls: Map<string, BwCall>;
  answer(call: BwCall): Promise<void>;
  hangup(call: BwCall, cause: DisconnectCause, errorMessage?: string): void;
  interrupt(call: BwCall): void;
  bridge(owner: BwCall, target: BwCall): void;
  startWith(
    call: BwCall,
    eventType: EventType,
    target: Callback,
    extra?: Parameters<typeof callbackPayload>[3],
  ): Promise<void>;
  ringTransferLeg(a: BwCall, target: TransferTarget, callerId: string, timeoutS: number): Promise<BwCall>;
}
