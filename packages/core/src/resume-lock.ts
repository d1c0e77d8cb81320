/** Keeping the cluster-wide resume lock while long work runs under it. */
import type { Logger } from './logger.js';
import type { QueueStore } from './ports.js';

const POLL_MS = 25;

/**
 * Renews the lock every third of its TTL until the returned function is called, which stops
 * renewing and releases it. A holder that crashes stops renewing, so its lock expires.
 */
export function keepLock(queueStore: QueueStore, token: string, ttlMs: number, logger: Logger): () => Promise<void> {
  const timer = setInterval(
    () => {
      queueStore.renewResumeLock(token, ttlMs).then(
        (held) => {
          if (!held) logger.error({ token }, 'The resume lock was lost while held (expired before renewal)');
        },
        (error: unknown) => logger.error({ err: error }, 'Could not renew the resume lock'),
      );
    },
    Math.max(1, Math.floor(ttlMs / 3)),
  );
  timer.unref?.();
  return async () => {
    clearInterval(timer);
    await queueStore.releaseResumeLock(token).catch((error: unknown) => logger.error({ err: error }, 'Could not release the resume lock'));
  };
}

/** Waits until the lock is free and takes it. */
export async function waitForLock(queueStore: QueueStore, ttlMs: number): Promise<string> {
  for (;;) {
    const token = await queueStore.acquireResumeLock(ttlMs);
    if (token) return token;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
