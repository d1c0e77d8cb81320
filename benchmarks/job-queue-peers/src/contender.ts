/** What the benchmark asks of each job queue: the same three measurements, on no-op jobs. */
export interface Contender {
  readonly name: string;
  /** Stores `count` jobs, `batchSize` per call of the queue's bulk API, calls one after another. */
  enqueue(count: number, batchSize: number): Promise<void>;
  /** Starts a worker of `concurrency` on the stored jobs; resolves once `count` of them have completed, the worker stopped. */
  drain(count: number, concurrency: number): Promise<void>;
  /**
   * With a worker of `concurrency` waiting on an empty queue: enqueues one job at a time, each once the previous one
   * has completed, and returns for each the ms from the enqueue call to its handler starting.
   */
  startLatencies(samples: number, concurrency: number): Promise<number[]>;
  /** Removes everything the contender made (schemas, keys). */
  close(): Promise<void>;
}

/** Resolves after `count` calls of `tick`. */
export function countdown(count: number): { tick: () => void; done: Promise<void> } {
  let left = count;
  let resolve = () => {};
  const done = new Promise<void>((r) => (resolve = r));
  if (left <= 0) resolve();
  return {
    tick: () => {
      left -= 1;
      if (left === 0) resolve();
    },
    done,
  };
}

/** A job's handler start, as one latency sample: `expect()` before the enqueue, `started()` in the handler. */
export class StartSignal {
  #resolve: ((at: number) => void) | null = null;

  expect(): Promise<number> {
    return new Promise((resolve) => (this.#resolve = resolve));
  }

  started(): void {
    this.#resolve?.(performance.now());
    this.#resolve = null;
  }
}

/** Sequential samples: enqueue one job, wait for its handler to start and the job to finish, a short pause, again. */
export async function sampleLatencies(
  samples: number,
  signal: StartSignal,
  enqueueOne: () => Promise<unknown>,
  completed: () => Promise<void>,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let sample = 0; sample < samples; sample += 1) {
    const started = signal.expect();
    const done = completed();
    const at = performance.now();
    await enqueueOne();
    latencies.push((await started) - at);
    await done;
    // The worker goes back to waiting, as between real enqueues.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return latencies;
}
