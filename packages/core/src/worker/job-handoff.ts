/**
 * Direct handoff: a job enqueued in a process where a worker of its service has a free slot is claimed for that
 * worker by the enqueue statement itself (`EnqueueOptions.claims`) and reaches it in-process, with no notification
 * round trip and no claim statement after it. The repository takes a job only under the claim's own conditions
 * (fence down, campaign RUNNING, the job starting PENDING); before asking, this checks what the worker checks before
 * a claim (the queue ACTIVE, the breaker closed), and the worker keeps its check of the pause epoch right before the
 * handler. Whatever no worker takes is enqueued and announced as usual, so workers of other processes still hear of it.
 */
import type { Breakers } from '../breakwater.js';
import type { Job } from '../domain.js';
import type { Logger } from '../logger.js';
import type { CampaignRepository, ClaimJobsInput, EnqueueJobInput, EnqueueOptions, QueueStore } from '../ports.js';

/** Slots a worker set aside for one enqueue. */
export interface HandoffReservation {
  /** What the enqueue asks the repository to claim for the worker. */
  readonly claim: ClaimJobsInput;
  /** The enqueue is over: `jobs` are the ones it took (none when it failed); the other reserved slots are free again. */
  settle(jobs: readonly Job[]): void;
}

/** A worker of this process, as a handoff sees it. */
export interface HandoffTaker {
  readonly service: string;
  /** Sets aside up to `wanted` of its free slots, synchronously; null when it has none or is stopping. */
  reserve(wanted: number): HandoffReservation | null;
}

export interface JobHandoffDeps {
  /** The worker's checks before a claim: the queue ACTIVE… */
  queueStore: Pick<QueueStore, 'getStates'>;
  /** …and the breaker closed. */
  breakers: Pick<Breakers, 'get'>;
  logger: Logger;
}

type Enqueue = Pick<CampaignRepository, 'enqueueJob' | 'enqueueJobs'>;

export class JobHandoff {
  readonly #takers = new Map<string, HandoffTaker[]>();

  constructor(private readonly deps: JobHandoffDeps) {}

  /** A started worker offers its free slots until the returned function is called (when it stops). */
  register(taker: HandoffTaker): () => void {
    const takers = this.#takers.get(taker.service) ?? [];
    this.#takers.set(taker.service, [...takers, taker]);
    return () => {
      const left = (this.#takers.get(taker.service) ?? []).filter((other) => other !== taker);
      if (left.length > 0) this.#takers.set(taker.service, left);
      else this.#takers.delete(taker.service);
    };
  }

  /** The repository's enqueues, handing the new jobs to this process's idle workers where they can take them. */
  wrap<T extends Enqueue>(campaigns: T): T {
    return {
      ...campaigns,
      enqueueJob: async (input: EnqueueJobInput) => {
        const [job] = await this.#enqueue([input], (options) => campaigns.enqueueJob(input, options).then((one) => [one]));
        return job as Job;
      },
      enqueueJobs: (inputs: readonly EnqueueJobInput[]) => this.#enqueue(inputs, (options) => campaigns.enqueueJobs(inputs, options)),
    };
  }

  async #enqueue(inputs: readonly EnqueueJobInput[], enqueue: (options?: EnqueueOptions) => Promise<Job[]>): Promise<Job[]> {
    const reservations = this.#reserve(inputs);
    if (reservations.length === 0) return enqueue();
    const ready = await this.#readyServices(reservations);
    const kept = reservations.filter((reservation) => {
      if (ready.has(reservation.claim.service)) return true;
      reservation.settle([]);
      return false;
    });
    if (kept.length === 0) return enqueue();
    // Each worker gets its jobs as soon as the repository says they are stored (`onClaimed`), which may be before the
    // enqueue is on disk; a repository that does not say so has them settled when the enqueue returns. A reservation
    // settles once: whichever comes first.
    let open = true;
    const handOver = (jobs: readonly Job[]) => {
      if (!open) return;
      open = false;
      for (const reservation of kept) {
        const { workerId } = reservation.claim;
        // Copies: the caller gets the jobs as they were stored, and may do with them what it likes.
        reservation.settle(jobs.filter((job) => job.status === 'PROCESSING' && job.leaseOwner === workerId).map((job) => ({ ...job })));
      }
    };
    let jobs: Job[];
    try {
      jobs = await enqueue({ claims: kept.map((reservation) => reservation.claim), onClaimed: handOver });
    } catch (error) {
      handOver([]);
      throw error;
    }
    handOver(jobs);
    return jobs;
  }

  /**
   * Slots of idle workers for the jobs a claim could take (those not enqueued PAUSED), per service: the first worker
   * registered first, each up to its free slots. Synchronous, so two enqueues never count on the same slot.
   */
  #reserve(inputs: readonly EnqueueJobInput[]): HandoffReservation[] {
    if (this.#takers.size === 0) return [];
    const wanted = new Map<string, number>();
    for (const input of inputs) {
      if (input?.status === 'PAUSED' || !this.#takers.has(input?.service)) continue;
      wanted.set(input.service, (wanted.get(input.service) ?? 0) + 1);
    }
    const reservations: HandoffReservation[] = [];
    for (const [service, count] of wanted) {
      let left = count;
      for (const taker of this.#takers.get(service) ?? []) {
        if (left === 0) break;
        const reservation = taker.reserve(left);
        if (!reservation) continue;
        reservations.push(reservation);
        left -= reservation.claim.limit;
      }
    }
    return reservations;
  }

  /**
   * The services whose queue is ACTIVE and breaker closed, as the worker asks before a claim (answered from the
   * near-caches while they are fresh). A check that fails hands nothing off: the enqueue itself must not fail for it.
   */
  async #readyServices(reservations: readonly HandoffReservation[]): Promise<Set<string>> {
    const services = [...new Set(reservations.map((reservation) => reservation.claim.service))];
    const ready = new Set<string>();
    await Promise.all(
      services.map(async (service) => {
        try {
          const [[queue], breaker] = await Promise.all([this.deps.queueStore.getStates([service]), this.deps.breakers.get(service)]);
          if (queue?.state === 'ACTIVE' && breaker.state === 'closed') ready.add(service);
        } catch (error) {
          this.deps.logger.debug(
            { err: error, service },
            `Could not check ${service} before handing a job off; it is enqueued for a claim`,
          );
        }
      }),
    );
    return ready;
  }
}
