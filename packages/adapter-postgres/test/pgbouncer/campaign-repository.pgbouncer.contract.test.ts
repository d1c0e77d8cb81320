/**
 * The CampaignRepository contract through PgBouncer in transaction pooling, with the repository's LISTEN
 * on a direct connection (`listenKnex`), as a host on a transaction pooler runs it.
 */
import type { CampaignRepository } from '@breakwater/core';
import { campaignRepositoryContract } from '@breakwater/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostgresCampaignRepository } from '../../src/index.js';
import { databaseUrl } from '../database.js';
import { failCampaignResume } from '../resume-failure-trigger.js';
import { LocalPgBouncer } from './local-pgbouncer.js';
import { type SchemaBehindPgBouncer, SchemasBehindPgBouncer } from './schemas-behind-pgbouncer.js';

let bouncer: LocalPgBouncer;
let schemas: SchemasBehindPgBouncer;
const schemaOf = new WeakMap<CampaignRepository, SchemaBehindPgBouncer>();

beforeAll(async () => {
  bouncer = await LocalPgBouncer.start({ databaseUrl: databaseUrl(), poolSize: 4 });
  schemas = new SchemasBehindPgBouncer(bouncer);
});
afterEach(() => schemas.dropAll());
afterAll(async () => {
  await schemas?.destroy();
  await bouncer?.stop();
});

function tablesOf(repo: CampaignRepository) {
  const schema = schemaOf.get(repo);
  if (!schema) throw new Error('not a repository made by this file');
  return schema.names.tables;
}

describe('through PgBouncer (pool_mode = transaction)', () => {
  campaignRepositoryContract(
    { describe, it, expect },
    async () => {
      const schema = await schemas.create();
      const repo = new PostgresCampaignRepository({
        knex: schemas.pooled,
        listenKnex: schemas.direct,
        preparedStatements: false,
        notifyChannel: `jobs_${schema.schema}`,
        ...schema.names,
      });
      schemaOf.set(repo, schema);
      return repo;
    },
    {
      subscribe: true,
      readCampaignRaw: async (repo, id) => {
        const { rows } = await schemas.pooled.raw(`SELECT status, status_message FROM ${tablesOf(repo).campaigns} WHERE id = ?`, [id]);
        const [row] = rows as { status: string; status_message: string | null }[];
        if (!row) throw new Error(`campaign ${id} is not in the table`);
        return { status: row.status, statusMessage: row.status_message };
      },
      readJobRaw: async (repo, id) => {
        const { rows } = await schemas.pooled.raw(`SELECT status, error, attempts FROM ${tablesOf(repo).jobs} WHERE id = ?`, [id]);
        const [row] = rows as { status: string; error: string | null; attempts: number }[];
        if (!row) throw new Error(`job ${id} is not in the table`);
        return row;
      },
      failCampaignResume: (repo, id, message) =>
        failCampaignResume(schemas.direct, id, message, { table: tablesOf(repo).campaigns, id: 'id', status: 'status' }),
    },
  );
});
