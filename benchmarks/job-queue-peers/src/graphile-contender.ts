/**
 * graphile-worker on the same PostgreSQL, in a schema of its own: `addJobs` for the bulk enqueue, `addJob` for
 * one job, `run` with the given concurrency and its documented batching (a local queue as large as the
 * concurrency, completions batched). It deletes every job it completes.
 */
import { randomBytes } from 'node:crypto';
import { Logger, type Runner, type WorkerUtils, makeWorkerUtils, run } from 'graphile-worker';
import { type Contender, StartSignal, countdown, sampleLatencies } from './contender.js';

const TASK = 'noop';
const silent = new Logger(() => () => {});

export class GraphileContender implements Contender {
  readonly name = 'graphile-worker';
  readonly #connectionString: string;
  readonly #schema = `gw_peers_${randomBytes(4).toString('hex')}`;
  readonly #poolMax: number;
  #utils: WorkerUtils | null = null;

  constructor(databaseUrl: string, poolMax: number) {
    this.#connectionString = databaseUrl;
    this.#poolMax = poolMax;
  }

  async enqueue(count: number, batchSize: number): Promise<void> {
    const utils = await this.#workerUtils();
    for (let done = 0; done < count; done += batchSize) {
      const size = Math.min(batchSize, count - done);
      await utils.addJobs(Array.from({ length: size }, (_, n) => ({ identifier: TASK, payload: { n: done + n } })));
    }
  }

  async drain(count: number, concurrency: number): Promise<void> {
    const completed = countdown(count);
    const runner = await this.#run(concurrency, async () => {});
    runner.events.on('job:success', completed.tick);
    await completed.done;
    await runner.stop();
  }

  async startLatencies(samples: number, concurrency: number): Promise<number[]> {
    const signal = new StartSignal();
    let onCompleted = () => {};
    const runner = await this.#run(concurrency, async () => signal.started());
    runner.events.on('job:success', () => onCompleted());
    const utils = await this.#workerUtils();
    try {
      return await sampleLatencies(
        samples,
        signal,
        () => utils.addJob(TASK, { n: 0 }),
        () => new Promise<void>((resolve) => (onCompleted = resolve)),
      );
    } finally {
      await runner.stop();
    }
  }

  async close(): Promise<void> {
    const utils = await this.#workerUtils();
    await utils.withPgClient((client) => client.query(`DROP SCHEMA IF EXISTS "${this.#schema}" CASCADE`));
    await utils.release();
  }

  async #workerUtils(): Promise<WorkerUtils> {
    if (!this.#utils) {
      this.#utils = await makeWorkerUtils({ connectionString: this.#connectionString, schema: this.#schema, logger: silent });
      await this.#utils.migrate();
    }
    return this.#utils;
  }

  #run(concurrency: number, task: () => Promise<void>): Promise<Runner> {
    return run({
      connectionString: this.#connectionString,
      schema: this.#schema,
      concurrency,
      noHandleSignals: true,
      logger: silent,
      taskList: { [TASK]: task },
      preset: { worker: { maxPoolSize: this.#poolMax, localQueue: { size: concurrency }, completeJobBatchDelay: 0 } },
    });
  }
}
