import type { CampaignRepository } from '@breakwater/core';
import { campaignRepositoryContract } from '@breakwater/core/testing';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresCampaignRepository } from '../src/index.js';
import { TestDatabases } from './database.js';
import { failCampaignResume } from './resume-failure-trigger.js';

const databases = new TestDatabases();
const knexOf = new WeakMap<CampaignRepository, Knex>();
afterEach(() => databases.dropAll());

function knexFor(repo: CampaignRepository): Knex {
  const knex = knexOf.get(repo);
  if (!knex) throw new Error('not a repository made by this file');
  return knex;
}

campaignRepositoryContract(
  { describe, it, expect },
  async () => {
    const { knex } = await databases.create();
    const repo = new PostgresCampaignRepository({ knex });
    knexOf.set(repo, knex);
    return repo;
  },
  {
    subscribe: true,
    readCampaignRaw: async (repo, id) => {
      const { rows } = await knexFor(repo).raw('SELECT status, status_message FROM campaigns WHERE id = ?', [id]);
      const [row] = rows as { status: string; status_message: string | null }[];
      if (!row) throw new Error(`campaign ${id} is not in the table`);
      return { status: row.status, statusMessage: row.status_message };
    },
    readJobRaw: async (repo, id) => {
      const { rows } = await knexFor(repo).raw('SELECT status, error, attempts FROM jobs WHERE id = ?', [id]);
      const [row] = rows as { status: string; error: string | null; attempts: number }[];
      if (!row) throw new Error(`job ${id} is not in the table`);
      return row;
    },
    failCampaignResume: (repo, id, message) => failCampaignResume(knexFor(repo), id, message),
  },
);
