import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onCallerAbort } from './caller-abort.js';

describe('onCallerAbort', () => {
  it('adds one listener to a signal however many calls share it', () => {
    const caller = new AbortController();
    const stops = Array.from({ length: 50 }, () => onCallerAbort(caller.signal, () => {}));
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    for (const stop of stops) stop();
    onCallerAbort(caller.signal, () => {});
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
  });

  it('hands every call still listening the reason, and none that stopped', () => {
    const caller = new AbortController();
    const heard: unknown[] = [];
    onCallerAbort(caller.signal, (reason) => heard.push(['first', reason]));
    const stop = onCallerAbort(caller.signal, (reason) => heard.push(['stopped', reason]));
    onCallerAbort(caller.signal, (reason) => heard.push(['second', reason]));
    stop();
    const reason = new Error('worker stopped');
    caller.abort(reason);
    expect(heard).toEqual([
      ['first', reason],
      ['second', reason],
    ]);
  });

  it('keeps signals apart', () => {
    const one = new AbortController();
    const other = new AbortController();
    const heard: string[] = [];
    onCallerAbort(one.signal, () => heard.push('one'));
    onCallerAbort(other.signal, () => heard.push('other'));
    other.abort();
    expect(heard).toEqual(['other']);
  });
});
