// The suite of ../remote-worker-wake.test.ts, with every client built by ioredis 6 (the `ioredis6` alias).
import { vi } from 'vitest';

vi.mock('ioredis', async () => await import('ioredis6'));

await import('../remote-worker-wake.test.js');
