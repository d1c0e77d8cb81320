import type { WorkerHeartbeat } from '../ports.js';

/** The order `WorkerRegistry.list` answers in: by service, then worker id (plain code-unit order, as stores sort). */
export function byServiceThenWorker(a: WorkerHeartbeat, b: WorkerHeartbeat): number {
  if (a.service !== b.service) return a.service < b.service ? -1 : 1;
  if (a.workerId === b.workerId) return 0;
  return a.workerId < b.workerId ? -1 : 1;
}
