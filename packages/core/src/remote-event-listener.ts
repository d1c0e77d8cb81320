/**
 * Events another process caused through the stores this instance shares with it (a trip, a pause, a resume,
 * an enqueue), emitted here as this instance's own, marked `remote: true`. It also keeps this process's
 * workers from starting jobs of a service another process just paused (the pause epochs).
 *
 * An event naming a service this instance is not configured with is not emitted: while processes sharing the
 * stores run with different lists (a rolling deploy adding a service), this one has nothing to do with it, and
 * its listeners are typed with its own services.
 */
import type { EventEmitter } from 'eventemitter3';
import { announceTransition } from './breaker-announcements.js';
import type { BreakwaterEvents } from './events.js';
import type { Logger } from './logger.js';
import type { CampaignRepository, CircuitBreakerStore, QueueStore, Unsubscribe } from './ports.js';
import type { PauseEpochs } from './worker/pause-epochs.js';

export interface RemoteEventDeps {
  services: readonly string[];
  breakerStore: CircuitBreakerStore;
  queueStore: QueueStore;
  campaigns: CampaignRepository;
  events: EventEmitter<BreakwaterEvents>;
  pauseEpochs: PauseEpochs;
  logger: Logger;
}

/** Re-emits what other processes did (through shared stores) as this instance's events, marked remote. */
export function listenToOtherProcesses(deps: RemoteEventDeps): Unsubscribe[] {
  const { events, pauseEpochs } = deps;
  const configured = new Set(deps.services);
  const unsubscribers: Unsubscribe[] = [];
  if (deps.breakerStore.subscribe) {
    unsubscribers.push(
      deps.breakerStore.subscribe((change) => {
        // Stop this process's workers from starting jobs of a service another process just opened.
        if (!configured.has(change.service)) return;
        if (change.transition === 'opened') pauseEpochs.bump(change.service);
        announceTransition(deps, change.service, change, true);
      }),
    );
  }
  if (deps.queueStore.subscribe) {
    unsubscribers.push(
      deps.queueStore.subscribe((change) => {
        if (change.kind === 'queue') {
          if (!configured.has(change.service)) return;
          if (change.state.state === 'PAUSED') {
            pauseEpochs.bump(change.service);
            events.emit('service:paused', {
              service: change.service,
              reason: change.state.reason ?? '',
              jobsPaused: null,
              campaignsPaused: null,
              remote: true,
              source: null,
            });
          } else {
            events.emit('service:resumed', { service: change.service, jobsResumed: null, remote: true, resumeId: null });
          }
          return;
        }
        deps.queueStore.getLastReport().then(
          (report) => {
            if (report) events.emit('resume:completed', { report, remote: true });
          },
          (error: unknown) => deps.logger.error({ err: error }, 'Could not read the last resume report after a remote resume'),
        );
      }),
    );
  }
  if (deps.campaigns.subscribe) {
    unsubscribers.push(
      deps.campaigns.subscribe((change) => {
        if (!configured.has(change.service)) return;
        if (change.kind === 'job-enqueued') events.emit('job:enqueued', { service: change.service, jobId: change.jobId });
        else events.emit('jobs:enqueued', { service: change.service, count: change.count });
      }),
    );
  }
  return unsubscribers;
}
