/**
 * The last 24 hours of each breaker, from the history: bands of closed / open / half-open, and marks where
 * it tripped (went into open) and where the queue was resumed. Pure, so it is tested without a browser.
 */
import type { BreakerState } from '@breakwater/core';
import type { WireHistoryEntry } from '../../wire-format.js';

export const TIMELINE_SPAN_MS = 24 * 3_600_000;

export interface Band {
  state: BreakerState;
  from: number;
  to: number;
}

export interface Mark {
  kind: 'trip' | 'resume';
  at: number;
  entry: WireHistoryEntry;
}

export interface ServiceTimeline {
  service: string;
  bands: Band[];
  marks: Mark[];
}

const BREAKER_STATES: readonly string[] = ['closed', 'open', 'half_open'];

/** The state an entry leaves the service's breaker in, or null when it changes none. */
function stateAfter(entry: WireHistoryEntry, service: string): BreakerState | null {
  switch (entry.kind) {
    case 'breaker:opened':
    case 'breaker:tripped':
      return entry.service === service ? 'open' : null;
    case 'breaker:half-open':
      return entry.service === service ? 'half_open' : null;
    case 'breaker:closed':
    case 'breaker:reset':
      return entry.service === service ? 'closed' : null;
    case 'store:initialized': {
      const paused = entry.details.paused;
      return Array.isArray(paused) && paused.includes(service) ? 'open' : null;
    }
    default:
      return null;
  }
}

function stateBefore(entry: WireHistoryEntry, after: BreakerState): BreakerState {
  const from = entry.details.from;
  if (typeof from === 'string' && BREAKER_STATES.includes(from)) return from as BreakerState;
  // A store rebuilt from the durable record: what it held before is unknown; it was read as healthy.
  return after === 'closed' ? 'open' : 'closed';
}

/**
 * One timeline per service over [now - span, now]. `entries` are the window's history entries in any order;
 * `current` is each breaker's state now, which is what a service with no transition in the window shows.
 */
export function buildTimelines(
  services: readonly string[],
  entries: readonly WireHistoryEntry[],
  current: ReadonlyMap<string, BreakerState>,
  now: number,
  span = TIMELINE_SPAN_MS,
): ServiceTimeline[] {
  const start = now - span;
  const inWindow = entries
    .map((entry) => ({ entry, at: Date.parse(entry.at) }))
    .filter(({ at }) => at >= start && at <= now)
    .sort((a, b) => a.at - b.at || Number(a.entry.id) - Number(b.entry.id));
  const resumes: Mark[] = inWindow
    .filter(({ entry }) => entry.kind === 'resume:completed')
    .map(({ entry, at }) => ({ kind: 'resume', at, entry }));

  return services.map((service) => {
    const changes = inWindow
      .map(({ entry, at }) => ({ entry, at, state: stateAfter(entry, service) }))
      .filter((change): change is { entry: WireHistoryEntry; at: number; state: BreakerState } => change.state !== null);
    const first = changes[0];
    let state: BreakerState = first ? stateBefore(first.entry, first.state) : (current.get(service) ?? 'closed');
    let from = start;
    const bands: Band[] = [];
    for (const change of changes) {
      if (change.state === state) continue;
      if (change.at > from) bands.push({ state, from, to: change.at });
      state = change.state;
      from = change.at;
    }
    bands.push({ state, from, to: now });
    const trips: Mark[] = changes
      .filter(({ entry }) => entry.kind === 'breaker:opened')
      .map(({ entry, at }) => ({ kind: 'trip', at, entry }));
    return { service, bands, marks: [...trips, ...resumes].sort((a, b) => a.at - b.at) };
  });
}
