// The suite of ../insight.http.test.ts, with the router and the host app on Express 4.
import { vi } from 'vitest';

vi.mock('express', async () => await import('express4'));

await import('../insight.http.test.js');
