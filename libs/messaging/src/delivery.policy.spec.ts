import { attemptOf, BusHeader, deadLetterInfo, decideFailure } from './delivery.policy';
import { DeadLetterReason } from './message-bus.port';
import { PermanentDeliveryError } from './messaging.error';

describe('decideFailure', () => {
  const policy = { maxAttempts: 4, backoffSeconds: [1, 10] };

  it('retries transient errors with the backoff step of the failed attempt, repeating the last step', () => {
    expect(decideFailure(new Error('db down'), 1, policy)).toEqual({ kind: 'retry', nextAttempt: 2, step: 0, delaySeconds: 1, error: 'db down' });
    expect(decideFailure(new Error('db down'), 2, policy)).toMatchObject({ kind: 'retry', nextAttempt: 3, step: 1, delaySeconds: 10 });
    expect(decideFailure(new Error('db down'), 3, policy)).toMatchObject({ kind: 'retry', nextAttempt: 4, step: 1 });
  });

  it('dead-letters once the last attempt failed', () => {
    expect(decideFailure(new Error('db down'), 4, policy)).toEqual({ kind: 'dead-letter', reason: DeadLetterReason.ATTEMPTS_EXHAUSTED, error: 'db down' });
  });

  it('dead-letters a permanent error at once with its code', () => {
    expect(decideFailure(new PermanentDeliveryError('BAD_SIGNATURE', 'sig'), 1, policy)).toEqual({ kind: 'dead-letter', reason: 'BAD_SIGNATURE', error: 'sig' });
  });

  it('recognises a permanent error from another copy of the class by name and code', () => {
    const foreign = Object.assign(new Error('x'), { name: 'PermanentDeliveryError', code: 'SCHEMA' });
    expect(decideFailure(foreign, 1, policy)).toMatchObject({ kind: 'dead-letter', reason: 'SCHEMA' });
  });

  it('treats non-Error throwables as transient', () => {
    expect(decideFailure('boom', 1, policy)).toMatchObject({ kind: 'retry', error: 'boom' });
  });
});

describe('attemptOf', () => {
  it('defaults to 1 and reads the header (number or string)', () => {
    expect(attemptOf({})).toBe(1);
    expect(attemptOf({ [BusHeader.ATTEMPT]: 3 })).toBe(3);
    expect(attemptOf({ [BusHeader.ATTEMPT]: '2' })).toBe(2);
    expect(attemptOf({ [BusHeader.ATTEMPT]: 'junk' })).toBe(1);
  });
});

describe('deadLetterInfo', () => {
  const now = () => new Date('2026-11-02T08:00:00Z');

  it('prefers our own reason headers', () => {
    expect(
      deadLetterInfo({ [BusHeader.REASON]: 'NO_HANDLER', [BusHeader.DEAD_LETTERED_AT]: '2026-11-01T00:00:00.000Z', [BusHeader.ERROR]: 'no handler', 'x-first-death-reason': 'expired' }, now),
    ).toEqual({ reason: 'NO_HANDLER', deadLetteredAt: '2026-11-01T00:00:00.000Z', error: 'no handler' });
  });

  it('maps the most recent x-death entry of a broker dead-letter', () => {
    const headers = {
      'x-first-death-reason': 'expired',
      'x-death': [
        { reason: 'delivery_limit', queue: 'tb.district.d1', time: { '!': 'timestamp', value: 1793606400 } },
        { reason: 'expired', queue: 'tb.retry.1s', time: 1793600000 },
      ],
    };
    expect(deadLetterInfo(headers, now)).toEqual({ reason: 'DELIVERY_LIMIT', deadLetteredAt: new Date(1793606400 * 1000).toISOString() });
  });

  it('never leaves the reason empty', () => {
    expect(deadLetterInfo({}, now)).toEqual({ reason: 'UNKNOWN', deadLetteredAt: '2026-11-02T08:00:00.000Z' });
  });
});
