import { prerequisitesNotMetMessage } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { resumeWording } from './resume-wording.js';

const idle = { preview: null, resuming: false };

describe("the Manual Queue Resume section's words", () => {
  it('say why a resume is blocked in the words the server refuses it with', () => {
    const blocked = [
      { service: 'apollo', reason: 'open' },
      { service: 'openai', reason: 'half_open' },
    ];
    const wording = resumeWording({ blocked_by: blocked, resume_in_progress: false }, idle);
    expect(wording).toEqual({
      state: 'blocked',
      heading: '⚠️ Cannot Resume Queue',
      detail: 'Circuit breakers still open for: apollo (open), openai (half_open).',
      requiredAction: 'Required Action: Reset open circuit breakers first',
    });
    expect(prerequisitesNotMetMessage(blocked)).toBe(`Cannot resume queue: ${wording.detail.replace(/\.$/, '')}`);
  });

  it('say the resume is ready, whether anything is paused, and that another one is running', () => {
    const nothingPaused = { jobs_resumed: 0, campaigns_eligible: 0 } as NonNullable<Parameters<typeof resumeWording>[1]['preview']>;
    expect(resumeWording({ blocked_by: [], resume_in_progress: false }, { preview: nothingPaused, resuming: false })).toEqual({
      state: 'ready',
      heading: '✅ Ready to Resume',
      detail: 'All circuit breakers are closed and nothing is paused.',
      requiredAction: null,
    });
    expect(resumeWording({ blocked_by: [], resume_in_progress: true }, idle).detail).toBe(
      'All circuit breakers are closed. Resuming restarts every service queue, its paused jobs and every paused campaign.' +
        ' A queue resume is in progress right now.',
    );
    // This page's own resume is not "another one".
    expect(resumeWording({ blocked_by: [], resume_in_progress: true }, { preview: null, resuming: true }).detail).not.toContain(
      'in progress',
    );
  });
});
