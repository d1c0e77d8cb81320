import { describe, expect, it } from 'vitest';
import type { WireHistoryEntry } from '../../wire-format.js';
import { buildTimelines } from './timeline-model.js';

const NOW = Date.UTC(2026, 0, 5, 12, 0);
const HOUR = 3_600_000;
let id = 0;

function entry(
  hoursAgo: number,
  kind: WireHistoryEntry['kind'],
  service: string | null,
  details: Record<string, unknown> = {},
): WireHistoryEntry {
  return { id: String(++id), at: new Date(NOW - hoursAgo * HOUR).toISOString(), kind, service, actor: null, reason: null, details };
}

describe('the 24-hour timeline', () => {
  it('draws a band per state between transitions, and marks trips and resumes', () => {
    const entries = [
      entry(10, 'breaker:opened', 'apollo', { from: 'closed' }),
      entry(9, 'breaker:half-open', 'apollo', { from: 'open' }),
      entry(8.5, 'breaker:opened', 'apollo', { from: 'half_open' }),
      entry(3, 'breaker:reset', 'apollo', { from: 'open' }),
      entry(2, 'resume:completed', null, { jobs_resumed: 4 }),
      entry(1, 'breaker:tripped', 'openai', { from: 'closed' }),
      entry(1, 'breaker:opened', 'openai', { from: 'closed' }),
    ];
    const [apollo, openai] = buildTimelines(['apollo', 'openai'], entries, new Map(), NOW);
    expect(apollo?.bands.map((band) => [band.state, (NOW - band.from) / HOUR, (NOW - band.to) / HOUR])).toEqual([
      ['closed', 24, 10],
      ['open', 10, 9],
      ['half_open', 9, 8.5],
      ['open', 8.5, 3],
      ['closed', 3, 0],
    ]);
    expect(apollo?.marks.map((mark) => [mark.kind, (NOW - mark.at) / HOUR])).toEqual([
      ['trip', 10],
      ['trip', 8.5],
      ['resume', 2],
    ]);
    expect(openai?.bands.map((band) => band.state)).toEqual(['closed', 'open']);
    expect(openai?.marks.map((mark) => mark.kind)).toEqual(['resume', 'trip']);
  });

  it('starts from the state the first transition left, or the current state when nothing happened', () => {
    const entries = [entry(5, 'breaker:reset', 'apollo', { from: 'open' })];
    const [apollo, openai] = buildTimelines(['apollo', 'openai'], entries, new Map([['openai', 'open' as const]]), NOW);
    expect(apollo?.bands.map((band) => band.state)).toEqual(['open', 'closed']);
    expect(openai?.bands).toEqual([{ state: 'open', from: NOW - 24 * HOUR, to: NOW }]);
  });

  it('a store rebuilt with the service paused opens its band; older entries are left out', () => {
    const entries = [
      entry(30, 'breaker:opened', 'apollo', { from: 'closed' }),
      entry(4, 'store:initialized', null, { paused: ['apollo'] }),
    ];
    const [apollo] = buildTimelines(['apollo'], entries, new Map(), NOW);
    expect(apollo?.bands.map((band) => [band.state, (NOW - band.from) / HOUR])).toEqual([
      ['closed', 24],
      ['open', 4],
    ]);
    expect(apollo?.marks).toEqual([]);
  });
});
