import { afterEach, describe, expect, it, vi } from 'vitest';
import { StoreError, StoreStateLostError } from './errors.js';
import { guardPort, settleStrayAnswer } from './guard-port.js';

interface Port {
  initialize(): Promise<boolean>;
  read(key: string): Promise<string>;
  peek?(key: string, clock: () => number): string | undefined;
}

const clock = () => 0;
afterEach(() => {
  vi.restoreAllMocks();
});

describe('guardPort', () => {
  it("wraps a driver's error as StoreError naming port and method, and lets Breakwater errors through", async () => {
    const lost = new StoreStateLostError('Port');
    const adapter: Port = {
      initialize: async () => true,
      read: async (key) => {
        if (key === 'lost') throw lost;
        throw new Error('ECONNRESET');
      },
    };
    const port = guardPort<Port>('Port', adapter, ['initialize', 'read']);
    const error = await port.read('apollo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ message: 'Port.read failed: ECONNRESET', port: 'Port', operation: 'read' });
    await expect(port.read('lost')).rejects.toBe(lost);
  });

  it('rebuilds a store that lost its state, then makes the call once more; initialize itself is never retried', async () => {
    let initialized = false;
    const adapter: Port = {
      initialize: async () => {
        throw new StoreStateLostError('Port');
      },
      read: async (key) => {
        if (!initialized) throw new StoreStateLostError('Port');
        return `value of ${key}`;
      },
    };
    const onStateLost = vi.fn(async () => {
      initialized = true;
    });
    const port = guardPort<Port>('Port', adapter, ['initialize', 'read'], { onStateLost });
    expect(await port.read('apollo')).toBe('value of apollo');
    expect(onStateLost).toHaveBeenCalledTimes(1);
    await expect(port.initialize()).rejects.toBeInstanceOf(StoreStateLostError);
    expect(onStateLost).toHaveBeenCalledTimes(1);
  });

  it("passes a fast path through as the adapter's own method, bound to it", () => {
    class Adapter implements Port {
      readonly #known = 'known';
      initialize = async () => true;
      read = async () => 'x';
      peek(key: string) {
        return `${this.#known} ${key}`;
      }
    }
    const port = guardPort<Port>('Port', new Adapter(), ['initialize', 'read'], { fastPaths: ['peek'] });
    expect(port.peek?.('apollo', clock)).toBe('known apollo');
  });

  it('settleStrayAnswer keeps a promise a fast path wrongly answered with from rejecting unhandled, and ignores anything else', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    settleStrayAnswer(Promise.reject(new Error('async by mistake')));
    settleStrayAnswer({ state: 'open' });
    settleStrayAnswer(undefined);
    await new Promise((resolve) => setTimeout(resolve, 10));
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('leaves out a fast path the adapter does not have', () => {
    const port = guardPort<Port>('Port', { initialize: async () => true, read: async () => 'x' }, ['initialize', 'read'], {
      fastPaths: ['peek'],
    });
    expect(port.peek).toBe(undefined);
  });
});
