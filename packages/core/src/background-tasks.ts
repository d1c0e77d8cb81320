/**
 * Whether each service's background tasks (its workers) are running, from their heartbeats and the
 * service's state: the dashboard's "Background Tasks: Active". Pure, so the page and `status()` agree.
 */
import type { BreakerRecord, QueueState } from './domain.js';
import { BACKGROUND_TASKS_ACTIVE, BACKGROUND_TASKS_NOT_REPORTED, BACKGROUND_TASKS_PAUSED, BACKGROUND_TASKS_STOPPED } from './messages.js';
import type { WorkerHeartbeat } from './ports.js';

/**
 * `active`: live workers, and its queue ACTIVE with its breaker closed (they claim jobs); `paused`: its queue
 * PAUSED or its breaker not closed (its workers, if any, wait for the queue resume); `stopped`: no live worker.
 */
export type BackgroundTasksState = 'active' | 'paused' | 'stopped';

export interface ServiceBackgroundTasks<S extends string = string> {
  service: S;
  state: BackgroundTasksState;
  /** Live workers of the service, in every process. */
  workers: number;
  jobsInFlight: number;
}

export function backgroundTasksOf(
  services: readonly string[],
  breakers: readonly BreakerRecord[],
  queues: readonly QueueState[],
  workers: readonly WorkerHeartbeat[],
): ServiceBackgroundTasks[] {
  return services.map((service) => {
    const live = workers.filter((worker) => worker.service === service);
    const breaker = breakers.find((record) => record.service === service);
    const queue = queues.find((state) => state.service === service);
    const paused = queue?.state === 'PAUSED' || (breaker !== undefined && breaker.state !== 'closed');
    return {
      service,
      state: paused ? 'paused' : live.length > 0 ? 'active' : 'stopped',
      workers: live.length,
      jobsInFlight: live.reduce((sum, worker) => sum + worker.jobsInFlight, 0),
    };
  });
}

export interface BackgroundTasksSummary {
  state: BackgroundTasksState | 'not_reported';
  /** `Background Tasks: Active`, as the dashboard words it (docs/manual-resume.md). */
  heading: string;
  detail: string;
}

/** One line for the whole system: paused if any service is, stopped if none has a live worker, active otherwise. */
export function summarizeBackgroundTasks(tasks: readonly ServiceBackgroundTasks[] | null): BackgroundTasksSummary {
  if (tasks === null) {
    return { state: 'not_reported', heading: BACKGROUND_TASKS_NOT_REPORTED, detail: 'No worker registry is configured.' };
  }
  const workers = tasks.reduce((sum, task) => sum + task.workers, 0);
  const live = `${workers} ${workers === 1 ? 'worker' : 'workers'} live`;
  const paused = tasks.filter((task) => task.state === 'paused').map((task) => task.service);
  if (paused.length > 0) {
    return { state: 'paused', heading: BACKGROUND_TASKS_PAUSED, detail: `Paused for ${paused.join(', ')} until a queue resume · ${live}` };
  }
  const stopped = tasks.filter((task) => task.state === 'stopped').map((task) => task.service);
  if (stopped.length === tasks.length) return { state: 'stopped', heading: BACKGROUND_TASKS_STOPPED, detail: 'No live worker.' };
  return {
    state: 'active',
    heading: BACKGROUND_TASKS_ACTIVE,
    detail: stopped.length > 0 ? `${live} · no live worker for ${stopped.join(', ')}` : live,
  };
}
