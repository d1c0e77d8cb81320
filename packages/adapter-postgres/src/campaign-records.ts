/** Campaign rows: create, read, count, move along the transition table, and the cascade's pause. */
import {
  CAMPAIGN_STATUSES,
  CAMPAIGN_TRANSITIONS,
  NotFoundError,
  emptyCounts,
  InvalidTransitionError,
  transitionRefusal,
  type Campaign,
  type CampaignListFilter,
  type CampaignStatus,
  type CountsByStatus,
  type CreateCampaignInput,
} from '@breakwater/core';
import { isMalformedId } from './driver-errors.js';
import type { SqlRunner } from './pool-sql.js';
import { type CampaignRow, campaignSelectList, toCampaign } from './row-mapping.js';
import type { SqlNames } from './schema-names.js';

/** The statuses a campaign may move to `to` from, as an SQL list (statuses are core's constants, never input). */
function statusesLeadingTo(to: CampaignStatus): string {
  const from = CAMPAIGN_STATUSES.filter((status) => CAMPAIGN_TRANSITIONS[status].includes(to));
  return from.length === 0 ? 'NULL' : from.map((status) => `'${status}'`).join(', ');
}

export class CampaignRecords {
  readonly #sql: SqlRunner;
  readonly #names: SqlNames;
  readonly #returning: string;

  constructor(sql: SqlRunner, names: SqlNames) {
    this.#sql = sql;
    this.#names = names;
    this.#returning = campaignSelectList(names, names.campaigns);
  }

  async create(input: CreateCampaignInput): Promise<Campaign> {
    const { campaigns, c } = this.#names;
    const { rows } = await this.#sql.query<CampaignRow>(
      `INSERT INTO ${campaigns} (${c.name}, ${c.status}) VALUES ($1, $2) RETURNING ${this.#returning}`,
      [input.name, input.status ?? 'DRAFT'],
    );
    return toCampaign(onlyRow(rows));
  }

  async get(id: string): Promise<Campaign | null> {
    const { campaigns, c } = this.#names;
    try {
      const { rows } = await this.#sql.query<CampaignRow>(`SELECT ${this.#returning} FROM ${campaigns} WHERE ${c.id} = $1`, [id]);
      return rows[0] ? toCampaign(rows[0]) : null;
    } catch (error) {
      if (isMalformedId(error)) return null;
      throw error;
    }
  }

  /**
   * One guarded UPDATE: it changes the row only if the table allows the move from its current
   * status. Only when it changed nothing is the row read again, to say why.
   */
  async transition(id: string, to: CampaignStatus, statusMessage: string | null | undefined): Promise<Campaign> {
    const { campaigns, c } = this.#names;
    // undefined leaves the message as it is; null clears it.
    const setMessage = statusMessage === undefined ? '' : `, ${c.statusMessage} = $3`;
    const params = statusMessage === undefined ? [id, to] : [id, to, statusMessage];
    const updated = await this.#sql
      .query<CampaignRow>(
        `UPDATE ${campaigns} SET ${c.status} = $2${setMessage}, ${c.updatedAt} = now()
         WHERE ${c.id} = $1 AND ${c.status} IN (${statusesLeadingTo(to)}) RETURNING ${this.#returning}`,
        params,
      )
      .catch((error: unknown) => {
        if (isMalformedId(error)) throw new NotFoundError('Campaign', id);
        throw error;
      });
    if (updated.rows[0]) return toCampaign(updated.rows[0]);
    const current = await this.get(id);
    if (!current) throw new NotFoundError('Campaign', id);
    if (!(CAMPAIGN_STATUSES as readonly string[]).includes(current.status)) {
      // A host's own row: say why, rather than leave the reader to guess from the bare message.
      throw new InvalidTransitionError(
        current.status,
        to,
        `campaign ${id} has status "${current.status}", which is not one of Breakwater's (${CAMPAIGN_STATUSES.join(', ')})`,
      );
    }
    throw transitionRefusal(current.status, to);
  }

  async countByStatus(): Promise<CountsByStatus<CampaignStatus>> {
    const { campaigns, c } = this.#names;
    const { rows } = await this.#sql.query<{ status: string; count: number }>(
      `SELECT ${c.status}::text AS status, count(*)::int AS count FROM ${campaigns} GROUP BY ${c.status}`,
    );
    const counts = emptyCounts(CAMPAIGN_STATUSES);
    for (const row of rows) if (row.status in counts) counts[row.status as CampaignStatus] = row.count;
    return counts;
  }

  /** Pause cascade step 3 (docs/architecture.md), one statement: RUNNING → PAUSED; with a service, only campaigns with unfinished jobs on it. */
  async pauseRunning(input: { reason: string; service?: string }): Promise<number> {
    const { campaigns, jobs, c, j } = this.#names;
    const scoped =
      input.service === undefined
        ? ''
        : `AND EXISTS (SELECT 1 FROM ${jobs} job WHERE job.${j.campaignId} = campaign.${c.id} AND job.${j.service} = $2
             AND job.${j.status} IN ('PENDING', 'PROCESSING', 'PAUSED'))`;
    const { rowCount } = await this.#sql.query(
      `UPDATE ${campaigns} campaign SET ${c.status} = 'PAUSED', ${c.statusMessage} = $1, ${c.updatedAt} = now()
       WHERE campaign.${c.status} = 'RUNNING' ${scoped}`,
      input.service === undefined ? [input.reason] : [input.reason, input.service],
    );
    return rowCount;
  }

  /** Keyset paging in the id column's order; a status filter of PAUSED or RUNNING walks its partial index. */
  async list(filter: CampaignListFilter): Promise<Campaign[]> {
    const { campaigns, c } = this.#names;
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.status !== undefined) where.push(`campaign.${c.status} = $${params.push(filter.status)}`);
    if (filter.after !== undefined) where.push(`campaign.${c.id} > $${params.push(filter.after)}`);
    // ORDER BY the column, qualified: the bare name would be the text output column.
    const { rows } = await this.#sql
      .query<CampaignRow>(
        `SELECT ${campaignSelectList(this.#names, 'campaign')} FROM ${campaigns} campaign
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY campaign.${c.id} LIMIT $${params.push(filter.limit)}`,
        params,
      )
      .catch((error: unknown) => {
        // An `after` the id column cannot read comes from no page of ours: nothing follows it.
        if (isMalformedId(error)) return { rows: [] as CampaignRow[], rowCount: 0 };
        throw error;
      });
    return rows.map(toCampaign);
  }

  /** Keyset paging over the PAUSED partial index, in the id column's own order (numeric for the default bigint). */
  async listPausedIds(input: { after?: string; limit: number }): Promise<string[]> {
    const { campaigns, c } = this.#names;
    const after = input.after === undefined ? '' : `AND campaign.${c.id} > $2`;
    // ORDER BY the column, qualified: the bare name would be the text output column.
    const { rows } = await this.#sql.query<{ id: string }>(
      `SELECT campaign.${c.id}::text AS id FROM ${campaigns} campaign
       WHERE campaign.${c.status} = 'PAUSED' ${after} ORDER BY campaign.${c.id} LIMIT $1`,
      input.after === undefined ? [input.limit] : [input.limit, input.after],
    );
    return rows.map((row) => row.id);
  }
}

function onlyRow<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error('The statement returned no row');
  return row;
}
