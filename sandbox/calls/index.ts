// Mounts the call side of the sandbox: the call model, /v1/users/:userId/calls, call events, the
// simulated phone network and the /sandbox call control API. The server hands `network` to the SIP side.
import type { SandboxContext } from '../context';
import { EventDispatcher } from '../events/event-dispatcher';
import type { FetchLike } from '../events/event-delivery';
import { EventFaults } from '../events/event-faults';
import { PhoneNetwork } from '../phone-network/phone-network';
import { CallMedia } from './call-media';
import { CallModel } from './call-model';
import { mountCallRoutes } from './call-routes';
import { mountCallControlRoutes } from './control-routes';
import { mountMediaRoutes } from './media-routes';
import type { CallNetwork } from './network';

export interface CallsModule {
  network: CallNetwork;
  /** Resolves when every queued call event has been delivered or given up (for tests). */
  eventsIdle(): Promise<void>;
  close(): Promise<void>;
}

export interface CallsOptions {
  /** Event delivery transport; defaults to the platform fetch. */
  fetch?: FetchLike;
}

export function mountCalls(ctx: SandboxContext, options: CallsOptions = {}): CallsModule {
  const eventFaults = new EventFaults();
  const dispatcher = new EventDispatcher({ faults: eventFaults, fetch: options.fetch, log: ctx.log });
  const phones = new PhoneNetwork({ directory: ctx.directory, log: ctx.log });
  // SIP ringers (added later by the SIP side) are asked first; the simulations only take what is left.
  const model = new CallModel({ ctx, dispatcher, fallbackRingers: [phones.outsidePhones, phones.simulatedEndpoints] });
  const media = new CallMedia(ctx, model);
  mountCallRoutes(ctx, model, media);
  mountMediaRoutes(ctx, model, media);
  mountCallControlRoutes(ctx, { model, phones, eventFaults, media });

  let closing: Promise<void> | undefined;
  return {
    network: model,
    eventsIdle: () => dispatcher.idle(),
    close: () => {
      closing ??= (async () => {
        await dispatcher.close();
        phones.close();
        model.close();
      })();
      return closing;
    },
  };
}
