/** `--import` this (after tsx) to load the files imported as text under Node.js; see node-hooks.ts. */
import { register } from 'node:module';

register('./node-hooks.ts', import.meta.url);
