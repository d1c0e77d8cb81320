// The suite of ../host-body-parser.http.test.ts, with the router and the host app on Express 4.
import { vi } from 'vitest';

vi.mock('express', async () => await import('express4'));

await import('../host-body-parser.http.test.js');
