/**
 * The breaker's rules in Lua, one script per store operation (src/lua/breaker-*.lua), so a transition is
 * one indivisible step however many processes share the breaker. Each file's header names its KEYS, ARGV
 * and reply; the code they share (reading the record, writing and announcing it, the transition helpers)
 * is includes/breaker-prelude.lua, which mirrors core's `breaker-transitions.ts` line for line.
 */
import acquirePermit from './lua/breaker-acquire-permit.lua';
import initialize from './lua/breaker-initialize.lua';
import read from './lua/breaker-read.lua';
import recordFailure from './lua/breaker-record-failure.lua';
import recordSuccess from './lua/breaker-record-success.lua';
import reset from './lua/breaker-reset.lua';
import trip from './lua/breaker-trip.lua';
import { LuaScript } from './lua-script.js';

export const breakerScripts = {
  initialize: new LuaScript(initialize),
  read: new LuaScript(read),
  recordFailure: new LuaScript(recordFailure),
  recordSuccess: new LuaScript(recordSuccess),
  acquirePermit: new LuaScript(acquirePermit),
  trip: new LuaScript(trip),
  reset: new LuaScript(reset),
} as const;
