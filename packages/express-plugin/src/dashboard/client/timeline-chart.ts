/**
 * The last 24 hours per service, drawn by the page as SVG: a band per breaker state (its height says the
 * state as its colour does: closed low, half-open higher, open full), a solid line where the breaker went
 * into open and a dashed one where the queue was resumed. Each shape has a tooltip, each row a summary
 * for screen readers; the axis labels are HTML, so they keep their size at any width.
 */
import type { BreakerState } from '@breakwater/core';
import type { WireStatus } from '../../wire-format.js';
import type { DashboardState } from './dashboard-state.js';
import { byId, el, formatClock, svg } from './dom.js';
import { BREAKER_LOOKS } from './looks.js';
import { type Mark, type ServiceTimeline, TIMELINE_SPAN_MS, buildTimelines } from './timeline-model.js';

const WIDTH = 1000;
const HEIGHT = 24;
/** Top and height of a band, by state. */
const BAND_SHAPE: Record<BreakerState, { y: number; height: number }> = {
  closed: { y: 9, height: 6 },
  half_open: { y: 5, height: 14 },
  open: { y: 1, height: 22 },
};

function markLabel(mark: Mark): string {
  const { entry } = mark;
  const by = entry.actor ? ` by ${entry.actor}` : '';
  if (mark.kind === 'resume') return `${formatClock(mark.at)} Queue resumed${by}${entry.reason ? `: ${entry.reason}` : ''}`;
  return `${formatClock(mark.at)} Opened${by}${entry.reason ? `: ${entry.reason}` : ''}`;
}

function rowSummary(timeline: ServiceTimeline): string {
  const openSpells = timeline.bands.filter((band) => band.state !== 'closed');
  const trips = timeline.marks.filter((mark) => mark.kind === 'trip').length;
  const spells = openSpells.map((band) => `${BREAKER_LOOKS[band.state].label} ${formatClock(band.from)}–${formatClock(band.to)}`);
  return `${timeline.service}, last 24 hours: ${spells.length > 0 ? spells.join(', ') : 'closed throughout'}; ${trips} ${trips === 1 ? 'trip' : 'trips'}`;
}

function chart(timeline: ServiceTimeline, start: number): SVGSVGElement {
  const x = (ms: number) => ((ms - start) / TIMELINE_SPAN_MS) * WIDTH;
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', class: 'timeline-chart', role: 'img' });
  root.setAttribute('aria-label', rowSummary(timeline));
  for (const band of timeline.bands) {
    const shape = BAND_SHAPE[band.state];
    // An opening of a few seconds is a sliver at this scale: open and half-open stay visible (at least 0.4%).
    const width = Math.max(band.state === 'closed' ? 0.5 : 4, x(band.to) - x(band.from));
    const rect = svg('rect', {
      x: Math.min(x(band.from), WIDTH - width),
      width,
      ...shape,
      class: `band band-${band.state}`,
    });
    const title = svg('title');
    title.textContent = `${BREAKER_LOOKS[band.state].label} ${formatClock(band.from)} – ${formatClock(band.to)}`;
    rect.appendChild(title);
    root.appendChild(rect);
  }
  for (const mark of timeline.marks) {
    const at = x(mark.at);
    const line = svg('line', { x1: at, x2: at, y1: 0, y2: HEIGHT, class: `mark mark-${mark.kind}`, 'vector-effect': 'non-scaling-stroke' });
    const title = svg('title');
    title.textContent = markLabel(mark);
    line.appendChild(title);
    root.appendChild(line);
  }
  return root;
}

function axis(start: number): HTMLElement {
  const node = el('div', 'timeline-axis');
  node.setAttribute('aria-hidden', 'true');
  for (let step = 0; step <= 4; step += 1) {
    const at = start + (TIMELINE_SPAN_MS * step) / 4;
    const label = el('span', null, step === 4 ? 'now' : formatClock(at));
    // Set through the CSSOM, which the page's CSP allows (a style attribute it would refuse).
    label.style.left = `${step * 25}%`;
    node.appendChild(label);
  }
  return node;
}

export function renderTimeline(status: WireStatus, state: DashboardState): void {
  const body = byId('timeline-body');
  body.textContent = '';
  const loaded = state.timeline;
  if (loaded.kind !== 'loaded') {
    body.appendChild(el('p', 'meta', loaded.kind === 'loading' ? 'Loading…' : loaded.reason));
    return;
  }
  const now = loaded.value.readAt;
  const start = now - TIMELINE_SPAN_MS;
  const current = new Map(status.breakers.map((breaker) => [breaker.service, breaker.state]));
  const timelines = buildTimelines(
    status.breakers.map((breaker) => breaker.service),
    loaded.value.entries,
    current,
    now,
  );
  for (const timeline of timelines) {
    const row = el('div', 'timeline-row');
    row.setAttribute('data-service', timeline.service);
    row.append(el('span', 'timeline-service', timeline.service), chart(timeline, start));
    body.appendChild(row);
  }
  const axisRow = el('div', 'timeline-row');
  axisRow.append(el('span', 'timeline-service'), axis(start));
  body.appendChild(axisRow);
}
