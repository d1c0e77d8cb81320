import { StoreStateLostError } from '@breakwater/core';

/**
 * Every script that needs the store's state answers `{ 'state_lost' }`, having written nothing, when the
 * state marker is gone (Redis lost what the store held, or it was never set up): thrown here as
 * `StoreStateLostError`, which core answers by rebuilding the store from the durable record.
 */
export function throwIfStateLost(port: string, reply: unknown): void {
  if (Array.isArray(reply) && reply.length === 1 && reply[0] === 'state_lost') throw new StoreStateLostError(port);
}
