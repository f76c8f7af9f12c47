// What the BXML runner asks of the call engine. Its own module so the runner and the engine do not import each
// other (the engine implements it and hands itself to the runner).
import type { BwCall, DisconnectCause } from './bw-call';
import type { Callback, TransferTarget } from './bxml';
import type { DeliveryResult } from './callbacks';
import type { callbackPayload, EventType } from './payloads';
import type { RecordingStore } from './recordings';

export interface CallOps {
  readonly calls: Map<string, BwCall>;
  readonly recordings: RecordingStore;
  /** The sandbox's clock (ms). */
  clock(): number;
  /** Queues a callback behind the call's earlier ones (its answer is not run as BXML). */
  send(
    call: BwCall,
    eventType: EventType,
    target: Callback,
    extra?: Parameters<typeof callbackPayload>[3],
  ): Promise<DeliveryResult>;
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
