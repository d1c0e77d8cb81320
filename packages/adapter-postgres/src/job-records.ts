/** Job rows as the host sees them: enqueue, read, list, count. */
import {
  JOB_STATUSES,
  NotFoundError,
  emptyCounts,
  type CountsByStatus,
  type EnqueueJobInput,
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

  constructor(sql: SqlRunner, names: SqlNames, fences: ServiceFences, notifyChannel: string, durability: CommitDurability) {
    this.#sql = sql;
    this.#names = names;
    this.#fences = fences;
    this.#notifyChannel = notifyChannel;
    const { campaigns, jobs, c, j } = names;
    // The fence row is read FOR SHARE, so an enqueue and a pause of the same service serialize: a job
    // enqueued while the pause commits starts PAUSED, or is there (PENDING) for the pause to move.
    // The notification is sent on commit, in the same statement as the insert.
    this.#enqueueSql = `WITH fence AS (
        SELECT paused, reason FROM ${names.fences} WHERE service = $2 FOR SHARE
      ), chosen AS (
        SELECT COALESCE($3::text, CASE WHEN (SELECT paused FROM fence) THEN 'PAUSED' ELSE 'PENDING' END) AS status,
               (SELECT reason FROM fence WHERE paused) AS fence_reason
      ), inserted AS (
        INSERT INTO ${jobs} AS job (${j.campaignId}, ${j.service}, ${j.status}, ${j.error}, ${j.payload})
        SELECT campaign.${c.id}, $2, chosen.status, CASE WHEN chosen.status = 'PAUSED' THEN chosen.fence_reason END, $4
        FROM ${campaigns} campaign CROSS JOIN chosen
        WHERE campaign.${c.id} = $1
        RETURNING ${jobSelectList(names, 'job')}
      )
      SELECT inserted.*, pg_notify($5, json_build_object('service', inserted.service, 'jobId', inserted.id)::text) AS notified${durability.enqueue}
      FROM inserted`;
  }

  async enqueue(input: EnqueueJobInput): Promise<Job> {
    await this.#fences.ensure(input.service);
    const { rows } = await this.#sql
      .query<JobRow>(this.#enqueueSql, [
        input.campaignId,
        input.service,
        input.status ?? null,
        jsonParam(input.payload),
        this.#notifyChannel,
      ])
      .catch((error: unknown) => {
        if (isMalformedId(error)) throw new NotFoundError('Campaign', input.campaignId);
        throw error;
      });
    if (!rows[0]) throw new NotFoundError('Campaign', input.campaignId);
    return toJob(rows[0]);
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
