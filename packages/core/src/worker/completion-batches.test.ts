import { describe, expect, it } from 'vitest';
import type { JobCompletion } from '../ports.js';
import { CompletionBatches, MAX_COMPLETION_BATCH } from './completion-batches.js';

/** A write the test releases by hand, recording every batch it was given. */
function manualWrites() {
  const batches: string[][] = [];
  const pending: { release: (answers?: boolean[]) => void; fail: (error: Error) => void }[] = [];
  const write = (batch: readonly JobCompletion[]) =>
    new Promise<boolean[]>((resolve, reject) => {
      batches.push(batch.map((completion) => completion.jobId));
      pending.push({ release: (answers) => resolve(answers ?? batch.map(() => true)), fail: reject });
    });
  return { write, batches, pending };
}

/** As long as a write waits for: the end of the turn its completions finished in, and one turn more. */
const tick = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

describe('CompletionBatches', () => {
  it('writes what finishes in one turn of the event loop together, and what finishes during that write in the next', async () => {
    const { write, batches, pending } = manualWrites();
    const completions = new CompletionBatches(write);
    const first = ['1', '2', '3'].map((jobId) => completions.add({ jobId, result: null }));
    await tick();
    expect(batches).toEqual([['1', '2', '3']]);
    const later = ['4', '5'].map((jobId) => completions.add({ jobId, result: null }));
    expect(completions.unwritten).toBe(5);
    await tick();
    expect(batches).toHaveLength(1); // the next batch waits for the write under way
    pending[0]?.release([true, false, true]);
    expect(await Promise.all(first)).toEqual([true, false, true]);
    await tick();
    expect(batches).toEqual([
      ['1', '2', '3'],
      ['4', '5'],
    ]);
    pending[1]?.release();
    expect(await Promise.all(later)).toEqual([true, true]);
    expect(completions.unwritten).toBe(0);
  });

  it('flush() resolves once everything handed in is written; a failed write fails its own batch only', async () => {
    const { write, pending } = manualWrites();
    let afterWrites = 0;
    const completions = new CompletionBatches(write, () => (afterWrites += 1));
    const failing = completions.add({ jobId: 'a', result: null });
    await tick();
    const next = completions.add({ jobId: 'b', result: 'sent' });
    let flushed = false;
    const flush = completions.flush().then(() => (flushed = true));
    pending[0]?.fail(new Error('connection lost'));
    await expect(failing).rejects.toThrow('connection lost');
    await tick();
    expect(flushed).toBe(false);
    pending[1]?.release();
    await flush;
    expect(await next).toBe(true);
    expect(afterWrites).toBe(2);
  });

  it(`writes at most ${MAX_COMPLETION_BATCH} completions a statement`, async () => {
    const { write, batches, pending } = manualWrites();
    const completions = new CompletionBatches(write);
    const all = Array.from({ length: MAX_COMPLETION_BATCH + 1 }, (_, n) => completions.add({ jobId: String(n), result: null }));
    await tick();
    pending[0]?.release();
    await tick();
    pending[1]?.release();
    await Promise.all(all);
    expect(batches.map((batch) => batch.length)).toEqual([MAX_COMPLETION_BATCH, 1]);
  });

  it('take(): the waiting completions ride with another statement; written there, or given back for a write of their own', async () => {
    const { write, batches, pending } = manualWrites();
    let afterWrites = 0;
    const completions = new CompletionBatches(write, () => (afterWrites += 1));
    expect(completions.take()).toBeNull();
    const riding = ['1', '2'].map((jobId) => completions.add({ jobId, result: jobId }));
    const taken = completions.take();
    expect(taken?.completions).toEqual([
      { jobId: '1', result: '1' },
      { jobId: '2', result: '2' },
    ]);
    expect(completions.unwritten).toBe(2);
    await tick();
    expect(batches).toEqual([]); // nothing left for a write of their own
    let flushed = false;
    const flush = completions.flush().then(() => (flushed = true));
    await tick();
    expect(flushed).toBe(false); // flush waits for completions riding elsewhere
    taken?.written([true, false]);
    taken?.written([true, true]); // settled once
    expect(await Promise.all(riding)).toEqual([true, false]);
    await flush;
    expect(afterWrites).toBe(1);
    expect(completions.unwritten).toBe(0);

    const givenBack = completions.add({ jobId: '3', result: null });
    const failed = completions.take();
    failed?.giveBack();
    expect(completions.unwritten).toBe(1);
    await tick();
    expect(batches).toEqual([['3']]);
    pending[0]?.release();
    expect(await givenBack).toBe(true);
    expect(afterWrites).toBe(3);
  });
});
