import { describe, expect, it } from 'vitest';
import { backgroundTasksOf, summarizeBackgroundTasks } from './background-tasks.js';
import { closedRecord } from './breaker-transitions.js';
import type { QueueState } from './domain.js';
import type { WorkerHeartbeat } from './ports.js';

const NOW = Date.UTC(2026, 0, 5);
const SERVICES = ['apollo', 'openai', 'instantly'];

function worker(service: string, workerId: string, jobsInFlight = 0): WorkerHeartbeat {
  return { workerId, service, pid: 1, hostname: 'h', concurrency: 2, jobsInFlight, startedAt: NOW, lastSeenAt: NOW };
}

function queue(service: string, state: QueueState['state'] = 'ACTIVE'): QueueState {
  return { service, state, reason: state === 'PAUSED' ? 'down' : null, updatedAt: NOW };
}

describe('background tasks per service', () => {
  it('active with live workers, paused while the queue is paused or the breaker not closed, stopped without workers', () => {
    const breakers = [
      closedRecord('apollo', NOW),
      { ...closedRecord('openai', NOW), state: 'open' as const },
      closedRecord('instantly', NOW),
    ];
    const queues = [queue('apollo'), queue('openai'), queue('instantly', 'PAUSED')];
    const workers = [worker('apollo', 'a1', 2), worker('apollo', 'a2', 1), worker('openai', 'o1')];
    expect(backgroundTasksOf(SERVICES, breakers, queues, workers)).toEqual([
      { service: 'apollo', state: 'active', workers: 2, jobsInFlight: 3 },
      { service: 'openai', state: 'paused', workers: 1, jobsInFlight: 0 },
      { service: 'instantly', state: 'paused', workers: 0, jobsInFlight: 0 },
    ]);
    const closed = SERVICES.map((service) => closedRecord(service, NOW));
    expect(
      backgroundTasksOf(
        SERVICES,
        closed,
        SERVICES.map((s) => queue(s)),
        [],
      )[0],
    ).toMatchObject({ state: 'stopped', workers: 0 });
  });

  it('sums up the system in the dashboard’s words', () => {
    const task = (service: string, state: 'active' | 'paused' | 'stopped', workers = 1) => ({ service, state, workers, jobsInFlight: 0 });
    expect(summarizeBackgroundTasks([task('apollo', 'active', 2), task('openai', 'active')])).toEqual({
      state: 'active',
      heading: 'Background Tasks: Active',
      detail: '3 workers live',
    });
    expect(summarizeBackgroundTasks([task('apollo', 'active'), task('openai', 'stopped', 0)])).toMatchObject({
      heading: 'Background Tasks: Active',
      detail: '1 worker live · no live worker for openai',
    });
    expect(summarizeBackgroundTasks([task('apollo', 'paused'), task('openai', 'active')])).toEqual({
      state: 'paused',
      heading: 'Background Tasks: Paused',
      detail: 'Paused for apollo until a queue resume · 2 workers live',
    });
    expect(summarizeBackgroundTasks([task('apollo', 'stopped', 0)])).toEqual({
      state: 'stopped',
      heading: 'Background Tasks: Stopped',
      detail: 'No live worker.',
    });
    expect(summarizeBackgroundTasks(null)).toEqual({
      state: 'not_reported',
      heading: 'Background Tasks: Not reported',
      detail: 'No worker registry is configured.',
    });
  });

  it('names every service it is about, not only the first', () => {
    const task = (service: string, state: 'active' | 'paused' | 'stopped', workers = 1) => ({ service, state, workers, jobsInFlight: 0 });
    expect(summarizeBackgroundTasks([task('apollo', 'paused'), task('openai', 'paused', 0)]).detail).toBe(
      'Paused for apollo, openai until a queue resume · 1 worker live',
    );
    expect(summarizeBackgroundTasks([task('apollo', 'active'), task('openai', 'stopped', 0), task('instantly', 'stopped', 0)]).detail).toBe(
      '1 worker live · no live worker for openai, instantly',
    );
  });

  it('a service the stores have not answered for yet is not paused by that', () => {
    const tasks = backgroundTasksOf(
      ['apollo', 'openai'],
      [closedRecord('openai', NOW)],
      [queue('apollo')],
      [worker('apollo', 'a1'), worker('openai', 'o1')],
    );
    expect(tasks.map((task) => task.state)).toEqual(['active', 'active']);
  });
});
