// OneAtATime: work for one key runs one after another, in the order given, whatever each outcome; other keys run
// alongside; nothing is left behind once the queue is empty.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { OneAtATime } from '../../../core/storage/one-at-a-time';

describe('OneAtATime', () => {
  it('runs one key’s work in order, never two at once, and goes on after a failure', async () => {
    const queue = new OneAtATime();
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const step = (name: string, fail = false) =>
      queue.run('alice', async () => {
        most = Math.max(most, ++running);
        await sleep(5);
        order.push(name);
        running -= 1;
        if (fail) throw new Error(`${name} failed`);
        return name;
      });
    const outcomes = await Promise.allSettled([step('a'), step('b', true), step('c')]);
    assert.deepEqual(order, ['a', 'b', 'c']);
    assert.equal(most, 1);
    assert.deepEqual(
      outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message)),
      ['a', 'b failed', 'c'],
    );
    await sleep(0);
    assert.equal(queue.size, 0, 'no entry left once idle');
  });

  it('runs different keys side by side', async () => {
    const queue = new OneAtATime();
    let running = 0;
    let most = 0;
    const work = () => async () => {
      most = Math.max(most, ++running);
      await sleep(10);
      running -= 1;
    };
    await Promise.all([queue.run('alice', work()), queue.run('bob', work())]);
    assert.equal(most, 2);
  });
});
