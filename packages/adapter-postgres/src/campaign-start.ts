/**
 * Starting a campaign in one transaction: DRAFT → RUNNING, or straight to PAUSED while the fence of a
 * service it needs is up, so a campaign started during an outage never runs, not even for a moment.
 *
 * Every listed service's fence row is read FOR SHARE (the rows exist: `ensure` made them). That serializes
 * the start with a pause of any of them: a pause that raised its fence first is seen (the locking read waits
 * for it and reads the row it committed), and a pause that comes later waits for this start to commit, so
 * the cascade's campaign step, which runs after the fence is up, finds the campaign RUNNING and pauses it.
 * Reading only the raised fences would not do: a row that is down in this statement's snapshot would be
 * skipped without waiting for the pause that is raising it.
 */
import {
  NotFoundError,
  canTransition,
  transitionRefusal,
  type Campaign,
  type CampaignStatus,
  type StartCampaignInput,
} from '@breakwater/core';
import { isMalformedId } from './driver-errors.js';
import type { PoolSql, SqlRunner } from './pool-sql.js';
import { type CampaignRow, campaignSelectList, toCampaign } from './row-mapping.js';
import type { SqlNames } from './schema-names.js';
import type { ServiceFences } from './service-fences.js';

export class CampaignStart {
  readonly #sql: PoolSql;
  readonly #names: SqlNames;
  readonly #fences: ServiceFences;

  constructor(sql: PoolSql, names: SqlNames, fences: ServiceFences) {
    this.#sql = sql;
    this.#names = names;
    this.#fences = fences;
  }

  async start(input: StartCampaignInput): Promise<Campaign> {
    await Promise.all(input.services.map((service) => this.#fences.ensure(service)));
    // Refusals leave the transaction as values, thrown once it has rolled back: an error thrown inside it
    // would read as a broken connection to the pool (see pool-sql.ts).
    const outcome = await this.#sql
      .transaction(async (tx): Promise<Campaign | CampaignStatus | null> => {
        const status = await this.#lockCampaign(tx, input.id);
        if (status === null || !canTransition(status, 'RUNNING')) return status;
        const holding = await this.#holdingService(tx, input);
        return holding === undefined
          ? this.#update(tx, input.id, 'RUNNING', input.statusMessage)
          : this.#update(tx, input.id, 'PAUSED', input.pausedMessage(holding));
      })
      .catch((error: unknown) => {
        if (isMalformedId(error)) return null;
        throw error;
      });
    if (outcome === null) throw new NotFoundError('Campaign', input.id);
    if (typeof outcome === 'string') throw transitionRefusal(outcome, 'RUNNING');
    return outcome;
  }

  async #lockCampaign(tx: SqlRunner, id: string): Promise<CampaignStatus | null> {
    const { campaigns, c } = this.#names;
    const { rows } = await tx.query<{ status: CampaignStatus }>(
      `SELECT ${c.status}::text AS status FROM ${campaigns} WHERE ${c.id} = $1 FOR UPDATE`,
      [id],
    );
    return rows[0]?.status ?? null;
  }

  /** The first listed service (in scope) whose fence is up, reading every listed fence row FOR SHARE. */
  async #holdingService(tx: SqlRunner, input: StartCampaignInput): Promise<string | undefined> {
    const { fences, jobs, j } = this.#names;
    const { rows } = await tx.query<{ service: string; paused: boolean }>(
      `SELECT service, paused FROM ${fences} WHERE service = ANY($1::text[]) FOR SHARE`,
      [input.services],
    );
    const raised = new Set(rows.filter((row) => row.paused).map((row) => row.service));
    if (raised.size === 0) return undefined;
    let inScope = raised;
    if (input.scope === 'affected') {
      const { rows: needed } = await tx.query<{ service: string }>(
        `SELECT DISTINCT ${j.service} AS service FROM ${jobs}
         WHERE ${j.campaignId} = $1 AND ${j.service} = ANY($2::text[]) AND ${j.status} IN ('PENDING', 'PROCESSING', 'PAUSED')`,
        [input.id, [...raised]],
      );
      inScope = new Set(needed.map((row) => row.service));
    }
    return input.services.find((service) => inScope.has(service));
  }

  /** The row is locked by this transaction, so the UPDATE finds it. */
  async #update(tx: SqlRunner, id: string, status: 'RUNNING' | 'PAUSED', statusMessage: string | null | undefined): Promise<Campaign> {
    const { campaigns, c } = this.#names;
    // undefined leaves the message as it is; null clears it.
    const setMessage = statusMessage === undefined ? '' : `, ${c.statusMessage} = $3`;
    const { rows } = await tx.query<CampaignRow>(
      `UPDATE ${campaigns} SET ${c.status} = $2${setMessage}, ${c.updatedAt} = now() WHERE ${c.id} = $1
       RETURNING ${campaignSelectList(this.#names, campaigns)}`,
      statusMessage === undefined ? [id, status] : [id, status, statusMessage],
    );
    return toCampaign(rows[0] as CampaignRow);
  }
}
