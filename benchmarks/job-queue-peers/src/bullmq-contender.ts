/**
 * BullMQ on the same Redis, under a prefix of its own: `addBulk` for the bulk enqueue, `add` for one job, a
 * `Worker` of the given concurrency; every job removed as it completes (`removeOnComplete: true`).
 */
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { type Contender, StartSignal, countdown, sampleLatencies } from './contender.js';

const QUEUE = 'apollo';

export class BullMqContender implements Contender {
  readonly name = 'BullMQ';
  readonly #connection: { host: string; port: number; maxRetriesPerRequest: null };
  readonly #prefix = `bwpeers-bullmq-${randomBytes(4).toString('hex')}`;
  readonly #queue: Queue;

  constructor(redisUrl: string) {
    const url = new URL(redisUrl);
    // Workers block on Redis, so their connections must not give up on a command: BullMQ's own requirement.
    this.#connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
    this.#queue = new Queue(QUEUE, {
      connection: this.#connection,
      prefix: this.#prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
    });
  }

  async enqueue(count: number, batchSize: number): Promise<void> {
    for (let done = 0; done < count; done += batchSize) {
      const size = Math.min(batchSize, count - done);
      await this.#queue.addBulk(Array.from({ length: size }, (_, n) => ({ name: 'noop', data: { n: done + n } })));
    }
  }

  async drain(count: number, concurrency: number): Promise<void> {
    const completed = countdown(count);
    const worker = this.#worker(concurrency, async () => null);
    worker.on('completed', completed.tick);
    await completed.done;
    await worker.close();
  }

  async startLatencies(samples: number, concurrency: number): Promise<number[]> {
    const signal = new StartSignal();
    let onCompleted = () => {};
    const worker = this.#worker(concurrency, async () => {
      signal.started();
      return null;
    });
    worker.on('completed', () => onCompleted());
    await worker.waitUntilReady();
    try {
      return await sampleLatencies(
        samples,
        signal,
        () => this.#queue.add('noop', { n: 0 }),
        () => new Promise<void>((resolve) => (onCompleted = resolve)),
      );
    } finally {
      await worker.close();
    }
  }

  async close(): Promise<void> {
    await this.#queue.obliterate({ force: true });
    await this.#queue.close();
  }

  #worker(concurrency: number, handler: () => Promise<null>): Worker {
    return new Worker(QUEUE, handler, { connection: this.#connection, prefix: this.#prefix, concurrency });
  }
}
