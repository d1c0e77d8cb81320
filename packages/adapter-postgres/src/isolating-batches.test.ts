import type { CampaignResumeOutcome } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { type ResumeBatch, resumeInIsolatingBatches } from './isolating-batches.js';

/** What pg's DatabaseError looks like to the classifier: a server answer with a SQLSTATE. */
function databaseError(message: string, code: string): Error {
  return Object.assign(new Error(message), { severity: 'ERROR', code });
}

/**
 * A fake database: a batch fails as a whole when it holds any of `failing` (as one transaction
 * would), else resumes every id. Records every batch it was asked to run.
 */
function fakeDatabase(failing: ReadonlyMap<string, string>) {
  const batches: string[][] = [];
  const resumed = new Set<string>();
  const resumeBatch: ResumeBatch = async (ids) => {
    batches.push([...ids]);
    const culprit = ids.find((id) => failing.has(id));
    if (culprit !== undefined) throw databaseError(failing.get(culprit) ?? '', 'P0001');
    for (const id of ids) resumed.add(id);
    return ids.map((id): CampaignResumeOutcome => ({ id, ok: true, jobsResumed: Number(id) % 3 }));
  };
  return { batches, resumed, resumeBatch };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

describe('resumeInIsolatingBatches', () => {
  it('runs one transaction per batch when nothing fails', async () => {
    const db = fakeDatabase(new Map());
    const outcomes = await resumeInIsolatingBatches(range(1, 10), 4, db.resumeBatch);
    expect(db.batches).toEqual([range(1, 4), range(5, 8), range(9, 10)]);
    expect(outcomes).toEqual(range(1, 10).map((id) => ({ id, ok: true, jobsResumed: Number(id) % 3 })));
  });

  it('splits a failing batch until each culprit is alone: its error is reported, every other campaign resumes', async () => {
    const db = fakeDatabase(
      new Map([
        ['6', 'constraint "x" violated'],
        ['11', 'trigger said no'],
      ]),
    );
    const outcomes = await resumeInIsolatingBatches(range(1, 16), 8, db.resumeBatch);
    expect(outcomes.filter((o) => !o.ok)).toEqual([
      { id: '6', ok: false, error: 'constraint "x" violated' },
      { id: '11', ok: false, error: 'trigger said no' },
    ]);
    expect([...db.resumed].sort((a, b) => Number(a) - Number(b))).toEqual(range(1, 16).filter((id) => id !== '6' && id !== '11'));
    // Halving: a batch of 8 with one culprit takes 1 + 2·log2(8) = 7 attempts, not 8 single transactions.
    expect(db.batches.filter((batch) => batch.includes('6'))).toEqual([range(1, 8), range(5, 8), ['5', '6'], ['6']]);
    expect(db.batches).toHaveLength(14);
  });

  it('keeps the order asked for, and answers an id asked twice as a second transaction would', async () => {
    const db = fakeDatabase(new Map([['2', 'nope']]));
    const outcomes = await resumeInIsolatingBatches(['3', '1', '2', '3', '2'], 10, db.resumeBatch);
    expect(outcomes).toEqual([
      { id: '3', ok: true, jobsResumed: 0 },
      { id: '1', ok: true, jobsResumed: 1 },
      { id: '2', ok: false, error: 'nope' },
      { id: '3', ok: false, error: 'Invalid campaign state transition' },
      { id: '2', ok: false, error: 'nope' },
    ]);
    expect(db.batches[0]).toEqual(['3', '1', '2']);
  });

  it('retries a batch once when the connection is lost, without splitting it', async () => {
    const batches: string[][] = [];
    let lost = false;
    const outcomes = await resumeInIsolatingBatches(range(1, 6), 3, async (ids) => {
      batches.push([...ids]);
      if (ids.includes('4') && !lost) {
        lost = true;
        throw databaseError('terminating connection due to administrator command', '57P01');
      }
      return ids.map((id) => ({ id, ok: true, jobsResumed: 0 }));
    });
    expect(batches).toEqual([range(1, 3), range(4, 6), range(4, 6)]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });

  it('when the database stays unreachable, fails this batch and the rest with its message, without a call per campaign', async () => {
    const batches: string[][] = [];
    const outcomes = await resumeInIsolatingBatches(range(1, 9), 3, async (ids) => {
      batches.push([...ids]);
      if (ids.includes('4')) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return ids.map((id) => ({ id, ok: true, jobsResumed: 0 }));
    });
    expect(batches).toEqual([range(1, 3), range(4, 6), range(4, 6)]);
    expect(outcomes.slice(0, 3).every((o) => o.ok)).toBe(true);
    expect(outcomes.slice(3)).toEqual(range(4, 9).map((id) => ({ id, ok: false, error: 'connect ECONNREFUSED 127.0.0.1:5432' })));
  });
});
