// The call-quality watch: Twilio's thresholds held for 3 of the last 5 seconds raise a warning (none of them
// clears it); no audio for 3 s or ICE disconnected is a lost connection, and its return shows as recovered.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { assessQuality, sampleStats, watchQuality, type QualitySample } from '../../../web/src/phone/call-quality';
import type { CallQuality } from '../../../web/src/phone/call-state';
import { FakePeerConnection } from './support/fake-jssip';

const good: QualitySample = { received: 50, lossPercent: 0, rttMs: 40, jitterMs: 5, iceDisconnected: false };
const lossy: QualitySample = { ...good, lossPercent: 8 };
const slow: QualitySample = { ...good, rttMs: 650 };
const jittery: QualitySample = { ...good, jitterMs: 45 };
const silent: QualitySample = { received: 0, iceDisconnected: false };

/** Feeds samples one a second, as the watch does, and returns every assessment. */
function run(samples: QualitySample[], mediaExpected = true): CallQuality[] {
  const seen: QualitySample[] = [];
  let quality: CallQuality = { connection: 'ok' };
  return samples.map((sample) => {
    seen.push(sample);
    quality = assessQuality(seen, quality, mediaExpected);
    return quality;
  });
}

describe('call quality', () => {
  it('warns only when a threshold is crossed in 3 of the last 5 seconds, and clears once none is', () => {
    const warnings = run([lossy, good, lossy, good, lossy, good, good, good, good, good]).map((q) => q.warning);
    assert.deepEqual(warnings, [
      undefined,
      undefined,
      undefined,
      undefined,
      'loss',
      'loss',
      'loss',
      'loss',
      'loss',
      undefined,
    ]);
    assert.equal(run([slow, slow, slow]).at(-1)?.warning, 'latency');
    assert.equal(run([jittery, jittery, jittery]).at(-1)?.warning, 'jitter');
    assert.equal(run([{ ...slow, lossPercent: 4 }, lossy, lossy]).at(-1)?.warning, 'loss', 'loss is named first');
    assert.equal(
      run([
        { ...good, lossPercent: 3 },
        { ...good, lossPercent: 3 },
        { ...good, lossPercent: 3 },
      ]).at(-1)?.warning,
      undefined,
      'at the threshold is fine',
    );
  });

  it('says the connection is lost after 3 s without audio, recovered when audio returns, then nothing', () => {
    const states = run([good, silent, silent, silent, silent, good, good, good, good, good, good]).map(
      (q) => q.connection,
    );
    assert.deepEqual(states, [
      'ok',
      'ok',
      'ok',
      'lost',
      'lost',
      'recovered',
      'recovered',
      'recovered',
      'recovered',
      'recovered',
      'ok',
    ]);
    assert.equal(
      run([good, { ...good, iceDisconnected: true }]).at(-1)?.connection,
      'lost',
      'ICE disconnected at once',
    );
    assert.equal(run([silent, silent, silent, silent], false).at(-1)?.connection, 'ok', 'no audio is expected on hold');
  });

  it('turns cumulative getStats() counters into one interval’s loss, jitter and round trip', () => {
    const report = (received: number, lost: number) => [
      { type: 'inbound-rtp', kind: 'audio', packetsReceived: received, packetsLost: lost, jitter: 0.012 },
      { type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.45 },
      { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.01 },
    ];
    const [first, counters] = sampleStats(
      report(100, 0) as unknown as RTCStatsReport,
      { received: 0, lost: 0 },
      'connected',
    );
    assert.deepEqual(first, { received: 100, lossPercent: 0, rttMs: 450, jitterMs: 12, iceDisconnected: false });
    const [second, afterSecond] = sampleStats(report(190, 10) as unknown as RTCStatsReport, counters, 'disconnected');
    assert.equal(second.received, 90);
    assert.equal(second.lossPercent, 10);
    assert.equal(second.iceDisconnected, true);
    // Late packets arriving after all: the count falls (no loss), and only a rise above 10 is loss again.
    const [third, afterThird] = sampleStats(report(296, 4) as unknown as RTCStatsReport, afterSecond, 'connected');
    assert.deepEqual([third.received, third.lossPercent], [106, 0]);
    const [fourth] = sampleStats(report(394, 12) as unknown as RTCStatsReport, afterThird, 'connected');
    assert.deepEqual([fourth.received, fourth.lossPercent], [98, 2]);
    const [pairOnly] = sampleStats(
      [{ type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.02 }] as unknown as RTCStatsReport,
      { received: 0, lost: 0 },
      'connected',
    );
    assert.equal(pairOnly.rttMs, 20, 'the candidate pair’s round trip when there is no RTCP report yet');
  });

  describe('the watch on a peer connection', () => {
    beforeEach(() => mock.timers.enable({ apis: ['setInterval'] }));
    afterEach(() => mock.timers.reset());
    const settle = () => new Promise((resolve) => setImmediate(resolve));

    it('samples once a second, reports changes only, and stops', async () => {
      const connection = new FakePeerConnection();
      const changes: CallQuality[] = [];
      const stop = watchQuality(
        connection as unknown as RTCPeerConnection,
        () => true,
        (q) => changes.push(q),
      );
      let received = 0;
      let lost = 0;
      for (let second = 0; second < 4; second++) {
        received += 45;
        lost += 5; // 10 % lost
        connection.stats = [{ type: 'inbound-rtp', kind: 'audio', packetsReceived: received, packetsLost: lost }];
        mock.timers.tick(1_000);
        await settle();
      }
      assert.deepEqual(changes, [{ warning: 'loss', connection: 'ok' }]);
      stop();
      connection.stats = [];
      mock.timers.tick(5_000);
      await settle();
      assert.equal(changes.length, 1, 'nothing after stop');
    });
  });
});
