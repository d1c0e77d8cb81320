import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { NEVER_ABORTED } from './never-aborted-signal.js';

describe('NEVER_ABORTED', () => {
  it('is a real AbortSignal that is not aborted', () => {
    expect(NEVER_ABORTED).toBeInstanceOf(AbortSignal);
    expect(NEVER_ABORTED.aborted).toBe(false);
    expect(() => NEVER_ABORTED.throwIfAborted()).not.toThrow();
  });

  it('keeps none of the abort listeners the calls sharing it add (they could never run), so they neither leak nor warn', () => {
    for (let call = 0; call < 50; call++) NEVER_ABORTED.addEventListener('abort', () => {}, { once: true });
    expect(getEventListeners(NEVER_ABORTED, 'abort')).toHaveLength(0);
  });

  it('keeps listeners of any other event', () => {
    const listener = () => {};
    NEVER_ABORTED.addEventListener('custom', listener);
    expect(getEventListeners(NEVER_ABORTED, 'custom')).toEqual([listener]);
    NEVER_ABORTED.removeEventListener('custom', listener);
    expect(getEventListeners(NEVER_ABORTED, 'custom')).toHaveLength(0);
  });
});
