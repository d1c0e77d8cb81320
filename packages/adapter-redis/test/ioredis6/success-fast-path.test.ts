// The suite of ../success-fast-path.test.ts, with every client built by ioredis 6 (the `ioredis6` alias).
import { vi } from 'vitest';

vi.mock('ioredis', async () => await import('ioredis6'));

await import('../success-fast-path.test.js');
