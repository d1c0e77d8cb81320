/**
 * Rebuilds stores that hold no state (fail-safe rule: when in doubt, paused). A Redis restarted without
 * persistence, flushed, or failed over to a replica that had not caught up would otherwise read as
 * "every breaker closed, every queue ACTIVE". The stores tell that apart (`StoreStateLostError`), and this
 * rebuilds them from the durable record, the repository's fences: a fenced service comes back with its
 * queue PAUSED and its breaker open and latched, saying why, so only an operator's reset and a resume
 * bring it back. A fresh system takes the same path and finds no fence.
 */
import type { EventEmitter } from 'eventemitter3';
import type { BreakwaterEvents } from './events.js';
import type { Logger } from './logger.js';
import { stateLostReason } from './messages.js';
import type { CampaignRepository, CircuitBreakerStore, QueueStore } from './ports.js';

export interface LostStateRecoveryDeps {
  services: readonly string[];
  breakerStore: CircuitBreakerStore;
  queueStore: QueueStore;
  campaigns: CampaignRepository;
  pauseScope: 'all' | 'affected';
  clock: () => number;
  logger: Logger;
  events: EventEmitter<BreakwaterEvents>;
}

export class LostStateRecovery {
  readonly #deps: LostStateRecoveryDeps;
  #inFlight: Promise<void> | null = null;

  constructor(deps: LostStateRecoveryDeps) {
    this.#deps = deps;
  }

  /** Rebuilds whichever store holds no state; one rebuild at a time in this process (the stores make it one across processes). */
  recover(): Promise<void> {
    this.#inFlight ??= this.#recover().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  async #recover(): Promise<void> {
    const { services, breakerStore, queueStore, campaigns, pauseScope, clock, logger, events } = this.#deps;
    // If the durable record cannot be read, nothing is rebuilt: the stores keep refusing (fail closed).
    const configured = new Set(services);
    const fences = (await campaigns.readPauseState({ scope: pauseScope })).filter((fence) => configured.has(fence.service));
    const breakersRebuilt = await breakerStore.initialize({
      services,
      paused: fences.map((fence) => ({ service: fence.service, reason: stateLostReason(fence.service, fence.reason) })),
      now: clock(),
    });
    const queuesRebuilt = await queueStore.initialize({
      services,
      paused: fences.map((fence) => ({ service: fence.service, reason: fence.reason ?? stateLostReason(fence.service, null) })),
    });
    if (!breakersRebuilt && !queuesRebuilt) return;
    const paused = fences.map((fence) => fence.service);
    logger.warn(
      { breakerStore: breakersRebuilt, queueStore: queuesRebuilt, paused },
      paused.length > 0
        ? `Stores set up from the durable record: ${paused.join(', ')} paused with breakers open until an operator resets them`
        : 'Stores set up from the durable record: no service is paused',
    );
    events.emit('store:initialized', { breakerStore: breakersRebuilt, queueStore: queuesRebuilt, paused });
  }
}
