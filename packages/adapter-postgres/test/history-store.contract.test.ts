import type { HistoryStore } from '@breakwater/core';
import { historyStoreContract } from '@breakwater/core/testing';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresHistoryStore } from '../src/index.js';
import { TestDatabases } from './database.js';

const databases = new TestDatabases();
const knexOf = new WeakMap<HistoryStore, Knex>();
afterEach(() => databases.dropAll());

historyStoreContract(
  { describe, it, expect },
  async () => {
    const { knex } = await databases.create();
    const store = new PostgresHistoryStore({ knex });
    knexOf.set(store, knex);
    return store;
  },
  {
    countRaw: async (store) => {
      const knex = knexOf.get(store);
      if (!knex) throw new Error('not a store made by this file');
      return (await knex.raw('SELECT count(*)::int AS n FROM breakwater_history')).rows[0].n as number;
    },
  },
);

describe('PostgresHistoryStore', () => {
  it('writes rows an operator can query with SQL, in a table of the host’s naming', async () => {
    const { knex, schema } = await databases.create({ migrate: { tables: { history: 'ops_history' } } });
    const store = new PostgresHistoryStore({ knex, table: `${schema}.ops_history` });
    const at = Date.UTC(2026, 0, 5, 3, 12);
    await store.append([
      { at, kind: 'breaker:tripped', service: 'apollo', actor: 'ada@example.com', reason: 'maintenance', details: { from: 'closed' } },
    ]);
    const { rows } = await knex.raw(`SELECT at, kind, service, actor, reason, details->>'from' AS "from" FROM ops_history`);
    expect(rows).toEqual([
      { at: new Date(at), kind: 'breaker:tripped', service: 'apollo', actor: 'ada@example.com', reason: 'maintenance', from: 'closed' },
    ]);
  });

  it('refuses a missing knex, naming the option', () => {
    expect(() => new PostgresHistoryStore({} as { knex: Knex })).toThrow('Missing required option "knex"');
  });
});
