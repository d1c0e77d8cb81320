/**
 * `enqueueJobs`: a whole batch in one statement, with one notification for it. The batch travels as one
 * JSON array read by `json_populate_recordset` as rows of the jobs table's own type, so every id and
 * payload arrives in its column's type, whatever types the host's tables use.
 */
import { NotFoundError, type EnqueueJobInput, type EnqueueOptions, type Job } from '@breakwater/core';
import { isMalformedId } from './driver-errors.js';
import type { CommitDurability } from './commit-durability.js';
import type { SqlRunner } from './pool-sql.js';
import { type JobRowWithoutContents, jobSelectList, toJobWithContents } from './row-mapping.js';
import type { SqlNames } from './schema-names.js';
import type { ServiceFences } from './service-fences.js';

/** What the INSERT returns of each job (`jobSelectList` without contents); the rest of a new job is known without asking. */
type BatchRow = Partial<JobRowWithoutContents> & { missingCampaignId: string | null };

/** A job just inserted: its payload is the batch's own, and it has no result yet. */
function newJob(row: JobRowWithoutContents, payload: unknown): Job {
  return toJobWithContents(row, payload, null);
}

/**
 * The claims as the statement reads them: each worker's share of its service's claimable jobs as a range of their
 * places in the batch (1-based, in order), the workers of one service one after another, so no job is taken twice.
 */
function claimRanges(options: EnqueueOptions): string | null {
  const taken = new Map<string, number>();
  const ranges = (options.claims ?? [])
    .filter((claim) => claim.limit > 0)
    .map((claim) => {
      const first = (taken.get(claim.service) ?? 0) + 1;
      taken.set(claim.service, first + claim.limit - 1);
      return {
        service: claim.service,
        worker: claim.workerId,
        lease_ms: claim.leaseMs,
        first_place: first,
        last_place: first + claim.limit - 1,
      };
    });
  return ranges.length === 0 ? null : JSON.stringify(ranges);
}

export class BulkEnqueue {
  readonly #sql: SqlRunner;
  readonly #names: SqlNames;
  readonly #fences: ServiceFences;
  readonly #notifyChannel: string;
  readonly #enqueueSql: string;
  /** The statement for a batch with claims: the same, but it also decides which jobs each worker takes. */
  readonly #claimingSql: string;
  /** The same, committing without waiting for the disk (`CommitDurability.handoff`). */
  readonly #handoffSql: string;
  readonly #durability: CommitDurability;

  constructor(sql: SqlRunner, names: SqlNames, fences: ServiceFences, notifyChannel: string, durability: CommitDurability) {
    this.#sql = sql;
    this.#names = names;
    this.#fences = fences;
    this.#notifyChannel = notifyChannel;
    const { campaigns, jobs, c, j } = names;
    // As enqueueJob: the fence rows of the batch's services are read FOR SHARE (in one order, so batches never
    // deadlock), so a batch and a pause of one of its services serialize. A missing campaign stops the whole
    // INSERT (nothing of the batch is added) and is reported in the one row the statement then returns.
    // RETURNING hands the rows back in the order they were inserted: the batch's order. It returns only what the
    // database decided (ids, statuses, leases, times): the payloads are the batch's own, read back from its JSON, and
    // a new job has no result yet, so the client does not parse a thousand payloads it just sent.
    // With claims ($4, see claimRanges), a job claimJobs would take (it would start PENDING, its service's fence is
    // down, its campaign RUNNING) is inserted claimed by the worker whose range holds its place among its service's
    // claimable jobs; only the jobs no claim took are announced.
    const plainInsert = `      ), inserted AS (
        INSERT INTO ${jobs} AS job (${j.campaignId}, ${j.service}, ${j.status}, ${j.error}, ${j.payload})
        SELECT spec.campaign_id, spec.service, chosen.status,
               CASE WHEN chosen.status = 'PAUSED' AND fence.paused THEN fence.reason END, spec.payload
        FROM spec LEFT JOIN fence ON fence.service = spec.service
        CROSS JOIN LATERAL (SELECT COALESCE(spec.status, CASE WHEN fence.paused THEN 'PAUSED' ELSE 'PENDING' END) AS status) chosen
        WHERE NOT EXISTS (SELECT 1 FROM missing)
        ORDER BY spec.ord
        RETURNING ${jobSelectList(names, 'job', { contents: false })}
`;
    // Only a batch with claims pays for reading every job's campaign status and ranking the jobs.
    const claimingInsert = `      ), placed AS (
        SELECT spec.*, chosen.status AS chosen_status, fence.paused AS fenced, fence.reason AS fence_reason,
               chosen.status = 'PENDING' AND NOT COALESCE(fence.paused, false) AND campaign.${c.status} = 'RUNNING' AS claimable
        FROM spec LEFT JOIN fence ON fence.service = spec.service
        LEFT JOIN ${campaigns} campaign ON campaign.${c.id} = spec.campaign_id
        CROSS JOIN LATERAL (SELECT COALESCE(spec.status, CASE WHEN fence.paused THEN 'PAUSED' ELSE 'PENDING' END) AS status) chosen
      ), ranked AS (
        SELECT placed.*, row_number() OVER (PARTITION BY placed.service, placed.claimable ORDER BY placed.ord) AS place
        FROM placed
      ), claim AS (
        SELECT * FROM json_to_recordset($4::json) AS claim(service text, worker text, lease_ms double precision, first_place int, last_place int)
      ), inserted AS (
        INSERT INTO ${jobs} AS job (${j.campaignId}, ${j.service}, ${j.status}, ${j.error}, ${j.payload},
                                    ${j.leaseOwner}, ${j.leaseExpiresAt}, ${j.attempts})
        SELECT ranked.campaign_id, ranked.service, CASE WHEN claim.worker IS NULL THEN ranked.chosen_status ELSE 'PROCESSING' END,
               CASE WHEN ranked.chosen_status = 'PAUSED' AND ranked.fenced THEN ranked.fence_reason END, ranked.payload,
               claim.worker, now() + claim.lease_ms * interval '1 millisecond', CASE WHEN claim.worker IS NULL THEN 0 ELSE 1 END
        FROM ranked LEFT JOIN claim ON ranked.claimable AND claim.service = ranked.service::text AND ranked.place BETWEEN claim.first_place AND claim.last_place
        WHERE NOT EXISTS (SELECT 1 FROM missing)
        ORDER BY ranked.ord
        RETURNING ${jobSelectList(names, 'job', { contents: false })}
`;
    const statement = (withClaims: boolean, commit: string) => `WITH spec AS (
        SELECT s.ordinality AS ord, s.${j.campaignId} AS campaign_id, s.${j.service} AS service, s.${j.status} AS status,
               s.${j.payload} AS payload
        FROM json_populate_recordset(NULL::${jobs}, $1::json) WITH ORDINALITY AS s
      ), fence AS (
        SELECT service, paused, reason FROM ${names.fences} WHERE service = ANY($3::text[]) ORDER BY service FOR SHARE
      ), missing AS (
        SELECT wanted.campaign_id FROM (SELECT campaign_id, min(ord) AS first FROM spec GROUP BY campaign_id) wanted
        WHERE NOT EXISTS (SELECT 1 FROM ${campaigns} campaign WHERE campaign.${c.id} = wanted.campaign_id)
        ORDER BY wanted.first LIMIT 1
${withClaims ? claimingInsert : plainInsert}      ), per_service AS (
        SELECT inserted.service, count(*) AS count FROM inserted WHERE inserted."leaseOwner" IS NULL GROUP BY inserted.service
      ), notified AS (
        SELECT pg_notify($2, json_build_object('services', json_object_agg(service, count))::text) FROM per_service HAVING count(*) > 0
      )
      SELECT (SELECT campaign_id::text FROM missing) AS "missingCampaignId", (SELECT count(*) FROM notified) AS notified,
             inserted.*${commit}
      FROM (SELECT 1) AS always LEFT JOIN inserted ON true`;
    this.#enqueueSql = statement(false, durability.enqueue);
    this.#claimingSql = statement(true, durability.enqueue);
    // See CommitDurability.handoff: the workers start while the flush is under way.
    this.#handoffSql = statement(true, durability.handoff);
    this.#durability = durability;
  }

  async enqueue(inputs: readonly EnqueueJobInput[], options: EnqueueOptions = {}): Promise<Job[]> {
    if (inputs.length === 0) return [];
    const services = [...new Set(inputs.map((input) => input.service))];
    for (const service of services) await this.#fences.ensure(service);
    const keys = this.#names.jBare;
    const batch = JSON.stringify(
      inputs.map((input) => ({
        [keys.campaignId]: input.campaignId,
        [keys.service]: input.service,
        [keys.status]: input.status ?? null,
        [keys.payload]: input.payload ?? null,
      })),
    );
    const claims = claimRanges(options);
    const early = claims !== null && this.#durability.handsOffEarly;
    let rows: BatchRow[];
    try {
      ({ rows } =
        claims === null
          ? await this.#sql.query<BatchRow>(this.#enqueueSql, [batch, this.#notifyChannel, services])
          : await this.#sql.query<BatchRow>(early ? this.#handoffSql : this.#claimingSql, [batch, this.#notifyChannel, services, claims]));
    } catch (error) {
      const missing = isMalformedId(error) ? await this.#firstMissingCampaign(inputs) : null;
      throw missing === null ? error : new NotFoundError('Campaign', missing);
    }
    const missing = rows[0]?.missingCampaignId;
    if (missing !== null && missing !== undefined) throw new NotFoundError('Campaign', this.#asGiven(inputs, missing));
    // The payloads as the database keeps them: through JSON, as a payload read back is.
    const sent = JSON.parse(batch) as Record<string, unknown>[];
    const jobs = rows.map((row, i) => newJob(row as JobRowWithoutContents, sent[i]?.[keys.payload] ?? null));
    if (options.claims !== undefined) {
      const workers = new Set(options.claims.map((claim) => claim.workerId));
      // The workers' copies, payloads read once more, so the jobs the caller gets stay its own.
      const payloads = JSON.parse(batch) as Record<string, unknown>[];
      const taken = rows.flatMap((row, i) =>
        row.leaseOwner != null && workers.has(row.leaseOwner)
          ? [newJob(row as JobRowWithoutContents, payloads[i]?.[keys.payload] ?? null)]
          : [],
      );
      options.onClaimed?.(taken);
      // Committed without waiting for the disk when a claim went with it: the enqueue returns once it is there.
      if (early) await this.#durability.waitForFlush(this.#sql);
    }
    return jobs;
  }

  /** The id as the caller wrote it (the database may print it differently, e.g. without leading zeros). */
  #asGiven(inputs: readonly EnqueueJobInput[], printed: string): string {
    return inputs.find((input) => input.campaignId === printed)?.campaignId ?? printed;
  }

  /** After the id column refused some id: the first campaign of the batch, in order, that cannot be found. */
  async #firstMissingCampaign(inputs: readonly EnqueueJobInput[]): Promise<string | null> {
    const { campaigns, c } = this.#names;
    for (const id of new Set(inputs.map((input) => input.campaignId))) {
      try {
        const { rowCount } = await this.#sql.query(`SELECT 1 FROM ${campaigns} WHERE ${c.id} = $1`, [id]);
        if (rowCount === 0) return id;
      } catch (error) {
        if (isMalformedId(error)) return id;
        throw error;
      }
    }
    return null;
  }
}
