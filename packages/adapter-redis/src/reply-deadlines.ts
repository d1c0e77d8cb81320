import { performance } from 'node:perf_hooks';

/**
 * Deadlines for replies that all wait the same time, so they fall due in the order they were set: one timer,
 * for the oldest, serves every operation in flight. A timer per operation (set, then cleared when the reply
 * came) cost more than the rest of the failure path's work in this process.
 *
 * The timer is unref'd: an operation in flight keeps the process alive by its connection, and a timer left
 * armed after the last reply must not hold a finished process for up to `timeoutMs`.
 */
interface Waiter {
  readonly dueAt: number;
  settled: boolean;
  readonly expire: () => void;
}

export class ReplyDeadlines {
  /** Oldest first; the ones before `head` are done with. */
  private waiters: Waiter[] = [];
  private head = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly timeoutMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /**
   * What `start()` answers as it settles, or an `Error(message)` once `timeoutMs` has passed without it. `onFailure`
   * hears every failure (a throw of `start` included) before the caller does.
   */
  bound<T>(start: () => Promise<T>, message: string, onFailure: (error: unknown) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const fail = (error: unknown) => {
        onFailure(error);
        reject(error instanceof Error ? error : new Error(String(error)));
      };
      const waiter: Waiter = { dueAt: this.clock() + this.timeoutMs, settled: false, expire: () => fail(new Error(message)) };
      this.waiters.push(waiter);
      this.timer ??= this.arm(this.timeoutMs);
      // A throw here rejects the promise (the executor catches it) but would leave the waiter: settle it too.
      let reply: Promise<T>;
      try {
        reply = start();
      } catch (error) {
        this.settle(waiter);
        fail(error);
        return;
      }
      reply.then(
        (value) => {
          this.settle(waiter);
          resolve(value);
        },
        (error: unknown) => {
          this.settle(waiter);
          fail(error);
        },
      );
    });
  }

  private settle(waiter: Waiter): void {
    waiter.settled = true;
    this.dropSettledHead();
  }

  /** Leaves the oldest waiter still waiting at the head (the replies mostly come in order: this keeps the list short). */
  private dropSettledHead(): void {
    while (this.head < this.waiters.length && this.waiters[this.head]!.settled) this.head++;
    if (this.head === this.waiters.length) {
      this.waiters = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
  }

  private arm(delayMs: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.expireDue(), Math.max(1, Math.ceil(delayMs)));
    timer.unref();
    return timer;
  }

  private expireDue(): void {
    this.timer = null;
    const now = this.clock();
    while (this.head < this.waiters.length) {
      const waiter = this.waiters[this.head]!;
      if (!waiter.settled) {
        if (waiter.dueAt > now) break;
        waiter.settled = true;
        waiter.expire();
      }
      this.head++;
    }
    this.dropSettledHead();
    const oldest = this.waiters[this.head];
    if (oldest !== undefined) this.timer = this.arm(oldest.dueAt - now);
  }
}
