/**
 * ARGV[2] of every breaker script: the origin tag, the channel, the service and the policy as one JSON array
 * (see lua/includes/breaker-prelude.lua). All of it but the tag is the same for every call about one service
 * under one policy, so that part is written once and each call adds its tag in front.
 */
import type { BreakerPolicy } from '@breakwater/core';

/** A policy as the scripts read it: its numbers in a fixed order (names would be most of the bytes); `[]` for none. */
function policyJson(policy: BreakerPolicy | null): string {
  if (!policy) return '[]';
  const numbers = [policy.failureThreshold, policy.resetTimeoutMs, policy.halfOpenMaxProbes, policy.successThreshold];
  const rate = policy.failureRate;
  if (rate) numbers.push(rate.threshold, rate.minimumRequests, rate.windowMs);
  return JSON.stringify(numbers);
}

// A lone surrogate has no UTF-8 form: Redis' JSON decoder refuses its escape, where a plain argument would have
// reached Redis as U+FFFD (ioredis writes strings as UTF-8). Replaced the same way here, so both agree.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const jsonString = (text: string) => JSON.stringify(text.replace(LONE_SURROGATE, '\uFFFD'));

export class BreakerArguments {
  /** Per policy object (a Breakwater hands its store the same one on every call), per service: the array after the tag. */
  private readonly tails = new WeakMap<BreakerPolicy, Map<string, string>>();
  private readonly tailsWithoutPolicy = new Map<string, string>();

  constructor(private readonly channel: string) {}

  /** The JSON array `[origin, channel, service, policy]`. */
  common(origin: string, service: string, policy: BreakerPolicy | null): string {
    const tails = this.tailsFor(policy);
    let tail = tails.get(service);
    if (tail === undefined) {
      tail = `,${jsonString(this.channel)},${jsonString(service)},${policyJson(policy)}]`;
      tails.set(service, tail);
    }
    // A tag is JSON as it is (change-origin.ts: a UUID, '/', digits), so it is not encoded again on every call.
    return `["${origin}"${tail}`;
  }

  private tailsFor(policy: BreakerPolicy | null): Map<string, string> {
    if (!policy) return this.tailsWithoutPolicy;
    let tails = this.tails.get(policy);
    if (tails === undefined) this.tails.set(policy, (tails = new Map()));
    return tails;
  }
}
