/**
 * A service name no other test uses, so breaker and queue tests stay independent even when
 * an adapter's factory hands out stores that share one server.
 */
import { randomUUID } from 'node:crypto';

export function uniqueService(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}
