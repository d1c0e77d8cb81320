/**
 * The queue store's atomic steps in Lua, one script per step (src/lua/queue-*.lua, resume-*.lua); each
 * file's header names its KEYS, ARGV and reply. Every change is announced in the same script.
 */
import initialize from './lua/queue-initialize.lua';
import pause from './lua/queue-pause.lua';
import readStates from './lua/queue-read-states.lua';
import resume from './lua/queue-resume.lua';
import releaseLock from './lua/resume-lock-release.lua';
import renewLock from './lua/resume-lock-renew.lua';
import saveReport from './lua/resume-report-save.lua';
import { LuaScript } from './lua-script.js';

export const queueScripts = {
  initialize: new LuaScript(initialize),
  pause: new LuaScript(pause),
  resume: new LuaScript(resume),
  readStates: new LuaScript(readStates),
  renewLock: new LuaScript(renewLock),
  releaseLock: new LuaScript(releaseLock),
  saveReport: new LuaScript(saveReport),
} as const;
