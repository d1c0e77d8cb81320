/** resumeQueue step 3 (docs/manual-resume.md#the-steps): every service's breaker must be closed. */
import type { BreakerRecord } from './domain.js';
import type { BlockedService } from './errors.js';

/** The services whose breakers block a resume, in the services' order, with their state as the reason (`apollo (half_open)`). */
export function blockedServices(records: readonly BreakerRecord[]): BlockedService[] {
  return records.filter((record) => record.state !== 'closed').map((record) => ({ service: record.service, reason: record.state }));
}
