// Plays a call's BXML verb by verb. Every verb but <Ring answerCall="false"> and <Hangup> answers an unanswered
// inbound call first. A document that ends without <Hangup> or a new document ends the call (cause hangup).
// A run stops as soon as the call's `generation` moves on (the call was redirected, given new BXML, bridged by
// another call's <Bridge>, or hung up). What each verb does: docs/contracts/bandwidth-v2.md §10.
import { isOver, type BwCall, type DisconnectCause } from './bw-call';
import { InvalidBxml, parseBxml, type Verb } from './bxml';
import type { CallOps } from './call-ops';
import { playAudio, record } from './media-verbs';

/** SpeakSentence's stand-in: the prompt sound for about 60 ms per character, between 1 and 10 seconds. */
export function speakDurationMs(text: string): number {
  return Math.min(10_000, Math.max(1000, text.length * 60));
}

export class BxmlRunner {
  constructor(private readonly engine: CallOps) {}

  /** `baseUrl`: the URL that answered with `bxml` (relative callback URLs in it resolve against it). */
  async run(
    call: BwCall,
    bxml: string,
    generation: number,
    root: 'Response' | 'Bxml' = 'Response',
    baseUrl?: string,
  ): Promise<void> {
    let verbs: Verb[];
    try {
      verbs = parseBxml(bxml, root, baseUrl);
    } catch (error) {
      if (error instanceof InvalidBxml) this.engine.hangup(call, 'invalid-bxml', `Invalid BXML: ${error.message}`);
      else throw error;
      return;
    }
    for (const verb of verbs) {
      if (isOver(call) || call.generation !== generation) return;
      const next = await this.play(call, verb, generation);
      if (next === 'stop' || isOver(call) || call.generation !== generation) return;
    }
    if (!isOver(call) && call.generation === generation) this.engine.hangup(call, 'hangup');
  }

  /** BXML a transfer leg gets from transferAnswer: played before the bridge; its end does not hang the leg up. */
  async runOnLeg(leg: BwCall, bxml: string, baseUrl: string): Promise<void> {
    let verbs: Verb[];
    try {
      verbs = parseBxml(bxml, 'Response', baseUrl);
    } catch (error) {
      if (error instanceof InvalidBxml) this.engine.hangup(leg, 'invalid-bxml', `Invalid BXML: ${error.message}`);
      return;
    }
    const generation = leg.generation;
    for (const verb of verbs) {
      if (isOver(leg) || leg.generation !== generation) return;
      if (verb.verb === 'Transfer' || verb.verb === 'Bridge' || verb.verb === 'Redirect') continue; // not allowed here
      if ((await this.play(leg, verb, generation)) === 'stop') return;
    }
  }

  /** 'stop' when the verb handed the call over (a new document runs, or the call ended). */
  private async play(call: BwCall, verb: Verb, generation: number): Promise<'next' | 'stop'> {
    if (!(verb.verb === 'Ring' && !verb.answerCall) && verb.verb !== 'Hangup') await this.engine.answer(call);
    switch (verb.verb) {
      case 'Ring':
      case 'Pause':
        // A parked (ringing) or pausing leg hears silence.
        await this.wait(call, generation, verb.durationS * 1000);
        return 'next';
      case 'SpeakSentence': {
        const ms = speakDurationMs(verb.text);
        call.media.playPrompt(ms);
        await this.wait(call, generation, ms);
        return 'next';
      }
      case 'PlayAudio':
        await playAudio(this.engine, call, verb, generation);
        return 'next';
      case 'Record':
        return record(this.engine, call, verb, generation);
      case 'Hangup':
        this.engine.hangup(call, call.answerTime === undefined ? 'rejected' : 'hangup');
        return 'stop';
      case 'Redirect':
        if (verb.tag !== undefined) call.tag = verb.tag;
        void this.engine.startWith(call, 'redirect', verb.callback);
        return 'stop';
      case 'Transfer':
        return this.transfer(call, verb, generation);
      case 'Bridge':
        return this.bridge(call, verb, generation);
      case 'Skipped':
        call.skippedVerbs.push(verb.name);
        return 'next';
    }
  }

  private async transfer(
    call: BwCall,
    verb: Extract<Verb, { verb: 'Transfer' }>,
    generation: number,
  ): Promise<'next' | 'stop'> {
    if (verb.tag !== undefined) call.tag = verb.tag;
    const callerId = verb.transferCallerId ?? call.from;
    const done = new Promise<DisconnectCause>((resolve) => {
      call.transfer = { legs: [], done: resolve };
    });
    for (const target of verb.targets) {
      const leg = await this.engine.ringTransferLeg(call, target, callerId, verb.callTimeoutS);
      call.transfer?.legs.push(leg.id);
      if (isOver(leg) && call.transfer?.legs.every((id) => isOver(this.engine.calls.get(id)!))) {
        call.transfer.done(leg.cause ?? 'error');
      }
    }
    const cause = await done;
    const winnerId = call.transfer?.winner;
    const legs = call.transfer?.legs ?? [];
    call.transfer = undefined;
    if (isOver(call) || call.generation !== generation) return 'stop';
    const leg = this.engine.calls.get(winnerId ?? legs[legs.length - 1] ?? '');
    if (verb.transferComplete) {
      void this.engine.startWith(call, 'transferComplete', verb.transferComplete, {
        cause,
        ...(leg ? { transferOf: leg } : {}),
        ...(leg?.errorMessage ? { errorMessage: leg.errorMessage } : {}),
      });
      return 'stop';
    }
    return 'next';
  }

  private async bridge(
    call: BwCall,
    verb: Extract<Verb, { verb: 'Bridge' }>,
    generation: number,
  ): Promise<'next' | 'stop'> {
    if (verb.tag !== undefined) call.tag = verb.tag;
    const target = this.engine.calls.get(verb.targetCallId);
    const problem =
      !target || isOver(target)
        ? `Call ${verb.targetCallId} is not an active call of this account`
        : target.id === call.id
          ? 'A call cannot be bridged with itself'
          : target.bridgedWith !== undefined || target.transfer
            ? `Call ${target.id} is already bridged with another call`
            : undefined;
    if (problem || !target) {
      if (verb.bridgeComplete) {
        void this.engine.startWith(call, 'bridgeComplete', verb.bridgeComplete, {
          cause: 'error',
          errorMessage: problem!,
        });
        return 'stop';
      }
      call.errorMessage = problem;
      return 'next';
    }
    // The target stops its own BXML (e.g. a parking <Ring>/<Redirect> loop) and is answered if it was not.
    this.engine.interrupt(target);
    await this.engine.answer(target);
    if (verb.bridgeTargetComplete) target.bridgeTargetComplete = verb.bridgeTargetComplete;
    this.engine.bridge(call, target);
    await this.waitWhile(call, generation, () => call.bridgedWith === target.id);
    if (isOver(call) || call.generation !== generation) return 'stop';
    if (verb.bridgeComplete) {
      void this.engine.startWith(call, 'bridgeComplete', verb.bridgeComplete, { cause: target.cause ?? 'hangup' });
      return 'stop';
    }
    return 'next';
  }

  private wait(call: BwCall, generation: number, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        call.wakers.delete(wake);
        resolve();
      };
      const wake = () => {
        if (isOver(call) || call.generation !== generation) finish();
      };
      const timer = setTimeout(finish, ms);
      timer.unref();
      call.wakers.add(wake);
    });
  }

  private waitWhile(call: BwCall, generation: number, condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        if (isOver(call) || call.generation !== generation || !condition()) {
          call.wakers.delete(wake);
          resolve();
        }
      };
      call.wakers.add(wake);
      wake();
    });
  }
}
