import { describe, expect, it, vi } from 'vitest';
import { CommitDurability, FLUSH_WAIT_SQL } from './commit-durability.js';
import type { SqlRunner } from './pool-sql.js';

/** A runner that records its statements and answers each with `answer`. */
function runner(answer: () => Promise<unknown>) {
  const ran: string[] = [];
  const sql: SqlRunner = {
    query: async (text) => {
      ran.push(text);
      await answer();
      return { rows: [], rowCount: 0 };
    },
  };
  return { sql, ran };
}

/** An error as pg reports one the server sent. */
const serverError = (code: string) => Object.assign(new Error(`refused (${code})`), { severity: 'ERROR', code });

describe('CommitDurability: early handoff', () => {
  it('hands off early only where enqueues wait for the flush and each statement commits', () => {
    expect(new CommitDurability('enqueues', true).handsOffEarly).toBe(true);
    expect(new CommitDurability('all', true).handsOffEarly).toBe(true);
    expect(new CommitDurability('none', true).handsOffEarly).toBe(false);
    expect(new CommitDurability('enqueues', false).handsOffEarly).toBe(false);
    expect(new CommitDurability('enqueues', true).handoff).toContain('synchronous_commit');
    expect(new CommitDurability('enqueues', false).handoff).toBe('');
  });

  it('waits for the flush with one statement', async () => {
    const { sql, ran } = runner(async () => undefined);
    await new CommitDurability('enqueues', true).waitForFlush(sql);
    expect(ran).toEqual([FLUSH_WAIT_SQL]);
  });

  it('a server that refuses the flush wait turns early handoffs off, with one warning; other errors change nothing', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const durability = new CommitDurability('enqueues', true);
      await expect(durability.waitForFlush(runner(() => Promise.reject(serverError('57014'))).sql)).rejects.toThrow('57014');
      expect(durability.handsOffEarly).toBe(true);
      for (const code of ['42883', '42883']) {
        await expect(durability.waitForFlush(runner(() => Promise.reject(serverError(code))).sql)).rejects.toThrow(code);
      }
      expect(durability.handsOffEarly).toBe(false);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[1]).toEqual({ code: 'BREAKWATER_EARLY_HANDOFF_OFF' });
    } finally {
      warn.mockRestore();
    }
  });
});
