import { afterEach, describe, expect, it, vi } from 'vitest';
import { DecisionClock } from './decision-clock.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('DecisionClock', () => {
  it('reads the clock at most once per decision, however many stores ask, and never before one asks', () => {
    const read = vi.spyOn(performance, 'now').mockReturnValueOnce(10).mockReturnValueOnce(20);
    const clock = new DecisionClock();
    clock.start();
    expect(read).not.toHaveBeenCalled();
    expect(clock.now()).toBe(10);
    expect(clock.now()).toBe(10);
    clock.start();
    expect(clock.now()).toBe(20);
    expect(read).toHaveBeenCalledTimes(2);
  });
});
