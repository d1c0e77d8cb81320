// The suite of ../multi-process.test.ts, with the parent's clients and every child process's on ioredis 6.
import { vi } from 'vitest';

vi.mock('ioredis', async () => await import('ioredis6'));
// Read by the child processes (fixtures/breakwater-process.ts), which inherit this environment.
process.env.IOREDIS_MODULE = 'ioredis6';

await import('../multi-process.test.js');
