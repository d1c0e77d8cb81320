/** The worker registry's atomic steps in Lua (src/lua/worker-*.lua); each file's header names its KEYS, ARGV and reply. */
import beat from './lua/worker-heartbeat.lua';
import list from './lua/worker-list.lua';
import remove from './lua/worker-remove.lua';
import { LuaScript } from './lua-script.js';

export const workerRegistryScripts = {
  beat: new LuaScript(beat),
  list: new LuaScript(list),
  remove: new LuaScript(remove),
} as const;
