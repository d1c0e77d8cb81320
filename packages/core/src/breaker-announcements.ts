/**
 * Breaker transitions as events: the engine's own (`remote` false), and those other processes made through a
 * shared store (`remote` true), heard by the remote-event listener. One function for both, so an event
 * looks the same whoever caused it.
 */
import type { EventEmitter } from 'eventemitter3';
import type { TransitionResult } from './breaker-transitions.js';
import type { BreakwaterEvents } from './events.js';
import type { Logger } from './logger.js';

export interface AnnouncementDeps {
  events: EventEmitter<BreakwaterEvents>;
  logger: Logger;
}

/**
 * Turns a store transition (this process's, or another's when `remote`) into its event; `requestedBy` is the
 * operator whose trip or reset it was. Another process's change comes without the state it left (`from` null).
 */
export function announceTransition(
  deps: AnnouncementDeps,
  service: string,
  result: Pick<TransitionResult, 'transition' | 'record'> & Partial<Pick<TransitionResult, 'previousState'>>,
  remote: boolean,
  requestedBy: string | null = null,
): void {
  // Most results change nothing (a failure that only counts): nothing to announce, nothing to build.
  if (result.transition === null) return;
  const { events, logger } = deps;
  const { record } = result;
  const event = { service, record, remote, from: result.previousState ?? null, requestedBy };
  switch (result.transition) {
    case 'opened':
      if (!remote)
        logger.warn({ service, reason: record.lastFailureReason, tripCount: record.tripCount }, `Circuit breaker opened for ${service}`);
      events.emit('breaker:opened', { ...event, reason: record.lastFailureReason });
      break;
    case 'half_opened':
      events.emit('breaker:half-open', event);
      break;
    case 'closed':
      if (!remote) logger.info({ service }, `Circuit breaker closed for ${service}`);
      events.emit('breaker:closed', event);
      break;
    case 'reset':
      events.emit('breaker:reset', event);
      break;
  }
}
