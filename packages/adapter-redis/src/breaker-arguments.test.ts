import { describe, expect, it } from 'vitest';
import { BreakerArguments } from './breaker-arguments.js';

const policy = { failureThreshold: 5, resetTimeoutMs: 60_000, halfOpenMaxProbes: 1, successThreshold: 2 };

describe('BreakerArguments', () => {
  it('writes the tag, channel, service and policy (its numbers, in the order the scripts read them) as one JSON array', () => {
    const args = new BreakerArguments('bw:breakwater:circuit_breaker_changes:db0');
    expect(JSON.parse(args.common('instance/1', 'apollo', policy))).toEqual([
      'instance/1',
      'bw:breakwater:circuit_breaker_changes:db0',
      'apollo',
      [5, 60_000, 1, 2],
    ]);
  });

  it('writes a failure-rate window after the rest, its numbers exact, and [] for an operation without a policy', () => {
    const args = new BreakerArguments('changes');
    const withRate = { ...policy, failureRate: { threshold: 1 / 3, minimumRequests: 4, windowMs: 10_000 } };
    expect(JSON.parse(args.common('t', 'apollo', withRate))[3]).toEqual([5, 60_000, 1, 2, 1 / 3, 4, 10_000]);
    expect(JSON.parse(args.common('t', 'apollo', null))[3]).toEqual([]);
  });

  it('keeps what follows the tag apart per policy object and per service', () => {
    const args = new BreakerArguments('changes');
    const other = { ...policy, failureThreshold: 9 };
    expect(JSON.parse(args.common('t/1', 'apollo', policy))[3][0]).toBe(5);
    expect(JSON.parse(args.common('t/2', 'apollo', other))[3][0]).toBe(9);
    expect(JSON.parse(args.common('t/3', 'openai', policy))[2]).toBe('openai');
    expect(JSON.parse(args.common('t/4', 'apollo', policy))).toEqual(['t/4', 'changes', 'apollo', [5, 60_000, 1, 2]]);
  });

  it('writes a name with quotes, newlines or a lone surrogate as Redis would have read it as a plain argument', () => {
    const args = new BreakerArguments('ch"an\nnel');
    const [, channel, service] = JSON.parse(args.common('t', 'bad\uD800name', null));
    expect([channel, service]).toEqual(['ch"an\nnel', 'bad\uFFFDname']);
  });
});
