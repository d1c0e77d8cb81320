/** `bw.history()`: one page of the durable history, newest first, after this process's own entries are written. */
import { InvalidOptionsError, NotConfiguredError } from '../errors.js';
import type { HistoryStore } from '../ports.js';
import { HISTORY_KINDS, type HistoryKind, type HistoryPage } from './history-entry.js';
import type { HistoryRecorder } from './history-recorder.js';

/** `S`: the instance's services (entries themselves keep any service name: the history outlives configurations). */
export interface HistoryRequest<S extends string = string> {
  /** Entries of this service, and those that concern every service (resumes, store rebuilds). */
  service?: S;
  kinds?: readonly HistoryKind[];
  /** The cursor: `nextCursor` of the page before. */
  before?: string;
  /** Only entries at or after this time (ms since the epoch). */
  since?: number;
  /** Entries per page, 1–500. Default 50. */
  limit?: number;
}

export const DEFAULT_HISTORY_PAGE = 50;
export const MAX_HISTORY_PAGE = 500;

export async function readHistory(
  history: { store: HistoryStore; recorder: HistoryRecorder } | null,
  request: HistoryRequest = {},
): Promise<HistoryPage> {
  if (!history) throw new NotConfiguredError('History is not recorded: createBreakwater was given no history store (option "history")');
  const limit = request.limit ?? DEFAULT_HISTORY_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_PAGE)
    throw new InvalidOptionsError(`Invalid option "limit": must be a whole number from 1 to ${MAX_HISTORY_PAGE}`);
  if (request.before !== undefined && !/^\d+$/.test(request.before))
    throw new InvalidOptionsError('Invalid option "before": must be a cursor from an earlier page (nextCursor)');
  const unknownKind = request.kinds?.find((kind) => !HISTORY_KINDS.includes(kind));
  if (unknownKind !== undefined) throw new InvalidOptionsError(`Invalid option "kinds": unknown kind "${unknownKind}"`);
  await history.recorder.flush();
  // One more than asked tells whether another page follows.
  const found = await history.store.list({
    ...(request.service === undefined ? {} : { service: request.service }),
    ...(request.kinds === undefined ? {} : { kinds: request.kinds }),
    ...(request.before === undefined ? {} : { before: request.before }),
    ...(request.since === undefined ? {} : { since: request.since }),
    limit: limit + 1,
  });
  const entries = found.slice(0, limit);
  return { entries, nextCursor: found.length > limit ? (entries[entries.length - 1]?.id ?? null) : null };
}
