/** Job rows as the host sees them: enqueue, read, list, count. */
import {
  JOB_STATUSES,
  NotFoundError,
  emptyCounts,
  type CountsByStatus,
  type EnqueueJobInput,
  type EnqueueOptions,
  type Job,
  type JobFilter,
  type JobStatus,
} from '@breakwater/core';
import { isMalformedId } from './driver-errors.js';
import type { CommitDurability } from './commit-durability.js';
import type { SqlRunner } from './pool-sql.js';
import { type JobRow, jobSelectList, jsonParam, toJob } from './row-mapping.js';
import type { SqlNames } from './schema-names.js';
import type { ServiceFences } from './service-fences.js';

export class JobRecords {
  readonly #sql: SqlRunner;
  readonly #names: SqlNames;
  readonly #fences: ServiceFences;
  readonly #notifyChannel: string;
  readonly #enqueueSql: string;
  /** The same, for an enqueue with claims: see `CommitDurability.handoff`. */
  readonly #handoffSql: string;
  readonly #durability: CommitDurability;

  constructor(sql: SqlRunner, names: SqlNames, fences: ServiceFences, notifyChannel: string, durability: CommitDurability) {
    this.#sql = sql;
    this.#names = names;
    this.#fences = fences;
    this.#notifyChannel = notifyChannel;
    this.#durability = durability;
    const { campaigns, jobs, c, j } = names;
    // The fence row is read FOR SHARE, so an enqueue and a pause of the same service serialize: a job
    // enqueued while the pause commits starts PAUSED, or is there (PENDING) for the pause to move.
    // The notification is sent on commit, in the same statement as the insert.
    // With a worker's claim ($6 its id, $7 its lease), the job is inserted claimed by it when claimJobs would take
    // it (job-leases.ts): it would start PENDING, the fence (read above, FOR SHARE) is down, and the campaign is
    // RUNNING; then it needs no notification, nobody else is to claim it.
    const statement = (commit: string) => `WITH fence AS (
        SELECT paused, reason FROM ${names.fences} WHERE service = $2 FOR SHARE
      ), chosen AS (
        SELECT COALESCE($3::text, CASE WHEN (SELECT paused FROM fence) THEN 'PAUSED' ELSE 'PENDING' END) AS status,
               (SELECT reason FROM fence WHERE paused) AS fence_reason
      ), inserted AS (
        INSERT INTO ${jobs} AS job (${j.campaignId}, ${j.service}, ${j.status}, ${j.error}, ${j.payload},
                                    ${j.leaseOwner}, ${j.leaseExpiresAt}, ${j.attempts})
        SELECT campaign.${c.id}, $2, CASE WHEN handoff.taken THEN 'PROCESSING' ELSE chosen.status END,
               CASE WHEN chosen.status = 'PAUSED' THEN chosen.fence_reason END, $4,
               CASE WHEN handoff.taken THEN $6::text END,
               CASE WHEN handoff.taken THEN now() + $7::double precision * interval '1 millisecond' END,
               CASE WHEN handoff.taken THEN 1 ELSE 0 END
        FROM ${campaigns} campaign CROSS JOIN chosen
        CROSS JOIN LATERAL (
          SELECT $6::text IS NOT NULL AND chosen.status = 'PENDING' AND NOT COALESCE((SELECT paused FROM fence), false)
                 AND campaign.${c.status} = 'RUNNING' AS taken
        ) handoff
        WHERE campaign.${c.id} = $1
        RETURNING ${jobSelectList(names, 'job')}
      )
      SELECT inserted.*, CASE WHEN inserted."leaseOwner" IS NULL
               THEN pg_notify($5, json_build_object('service', inserted.service, 'jobId', inserted.id)::text) END AS notified${commit}
      FROM inserted`;
    this.#enqueueSql = statement(durability.enqueue);
    this.#handoffSql = statement(durability.handoff);
  }

  async enqueue(input: EnqueueJobInput, options: EnqueueOptions = {}): Promise<Job> {
    await this.#fences.ensure(input.service);
    const claim = options.claims?.find((candidate) => candidate.service === input.service && candidate.limit > 0);
    const early = claim !== undefined && this.#durability.handsOffEarly;
    const { rows } = await this.#sql
      .query<JobRow>(early ? this.#handoffSql : this.#enqueueSql, [
        input.campaignId,
        input.service,
        input.status ?? null,
        jsonParam(input.payload),
        this.#notifyChannel,
        claim?.workerId ?? null,
        claim?.leaseMs ?? null,
      ])
      .catch((error: unknown) => {
        if (isMalformedId(error)) throw new NotFoundError('Campaign', input.campaignId);
        throw error;
      });
    if (!rows[0]) throw new NotFoundError('Campaign', input.campaignId);
    const job = toJob(rows[0]);
    if (options.claims !== undefined) {
      const taken = claim !== undefined && job.leaseOwner === claim.workerId;
      options.onClaimed?.(taken ? [toJob(rows[0])] : []);
      // Committed without waiting for the disk (the worker has started it): the enqueue returns once it is there.
      if (early) await this.#durability.waitForFlush(this.#sql);
    }
    return job;
  }

  async get(id: string): Promise<Job | null> {
    const { jobs, j } = this.#names;
    try {
      const { rows } = await this.#sql.query<JobRow>(
        `SELECT ${jobSelectList(this.#names, 'job')} FROM ${jobs} job WHERE job.${j.id} = $1`,
        [id],
      );
      return rows[0] ? toJob(rows[0]) : null;
    } catch (error) {
      if (isMalformedId(error)) return null;
      throw error;
    }
  }

  /** Oldest (lowest id) first. */
  async list(filter: JobFilter): Promise<Job[]> {
    const { jobs, j } = this.#names;
    const conditions: string[] = [];
    const params: unknown[] = [];
    const where = (column: string, value: unknown) => {
      params.push(value);
      conditions.push(`job.${column} = $${params.length}`);
    };
    if (filter.campaignId !== undefined) where(j.campaignId, filter.campaignId);
    if (filter.service !== undefined) where(j.service, filter.service);
    if (filter.status !== undefined) where(j.status, filter.status);
    let limit = '';
    if (filter.limit !== undefined) {
      params.push(filter.limit);
      limit = `LIMIT $${params.length}`;
    }
    try {
      const { rows } = await this.#sql.query<JobRow>(
        `SELECT ${jobSelectList(this.#names, 'job')} FROM ${jobs} job
         ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY job.${j.id} ${limit}`,
        params,
      );
      return rows.map(toJob);
    } catch (error) {
      if (isMalformedId(error)) return [];
      throw error;
    }
  }

  async countByStatus(filter: { service?: string }): Promise<CountsByStatus<JobStatus>> {
    const { jobs, j } = this.#names;
    const everyService = filter.service === undefined;
    const { rows } = await this.#sql.query<{ status: string; count: number }>(
      `SELECT ${j.status}::text AS status, count(*)::int AS count FROM ${jobs} ${everyService ? '' : `WHERE ${j.service} = $1`} GROUP BY ${j.status}`,
      everyService ? [] : [filter.service],
    );
    const counts = emptyCounts(JOB_STATUSES);
    for (const row of rows) if (row.status in counts) counts[row.status as JobStatus] = row.count;
    return counts;
  }
}
