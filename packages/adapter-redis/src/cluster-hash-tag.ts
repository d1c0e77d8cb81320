/**
 * On a Redis Cluster a script or pipeline may only touch keys of one slot, and every store operation that
 * changes state is one script over several of the store's keys (the queue scripts take three hashes, and
 * more with the state marker). So on a Cluster, all of a store's keys must share a hash tag, and the
 * `keyPrefix` must carry it.
 *
 * Why refuse rather than add the tag: the key names stay exactly what the host chose, on every topology.
 * A tag added silently would rename `circuit_breaker:apollo` to `{…}:circuit_breaker:apollo` on a Cluster
 * only, so an operator's `HGETALL` would find nothing, and a host moving from one server to a Cluster would
 * start on empty state without being told. One explicit, visible prefix is shared by every process.
 */
import { InvalidOptionsError } from '@breakwater/core';

/** The hash tag Redis Cluster would hash every key starting with `prefix` by, or null when there is none. */
export function hashTagOf(prefix: string): string | null {
  // Redis' own rule: the text between the first '{' and the first '}' after it, when not empty.
  const open = prefix.indexOf('{');
  if (open < 0) return null;
  const close = prefix.indexOf('}', open + 1);
  if (close < 0 || close === open + 1) return null;
  return prefix.slice(open + 1, close);
}

/** Throws, saying what to pass, unless `keyPrefix` puts every key of the store in one Cluster slot. */
export function requireClusterHashTag(store: string, keyPrefix: string): void {
  if (hashTagOf(keyPrefix) !== null) return;
  const name = keyPrefix.replace(/[{}:]+$/g, '').replace(/[{}]/g, '') || 'bw';
  const suggestion = `{${name}}:`;
  throw new InvalidOptionsError(
    `${store} on a Redis Cluster needs a "keyPrefix" with a hash tag, so that all its keys are in one slot: ` +
      `pass keyPrefix: '${suggestion}' (got ${keyPrefix === '' ? 'no prefix' : `'${keyPrefix}'`})`,
  );
}
