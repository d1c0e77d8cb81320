import type { Logger } from '@breakwater/core';

export interface LogLine {
  level: 'info' | 'warn' | 'error' | 'debug';
  message: string;
  fields: Record<string, unknown>;
}

/** A pino-shaped logger that keeps every line, so tests can look for the log lines docs/manual-resume.md quotes. */
export function recordingLogger(): Logger & { lines: LogLine[]; messages: () => string[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (fieldsOrMessage: Record<string, unknown> | string, message?: string) => {
    if (typeof fieldsOrMessage === 'string') lines.push({ level, message: fieldsOrMessage, fields: {} });
    else lines.push({ level, message: message ?? '', fields: fieldsOrMessage });
  };
  return {
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    debug: at('debug'),
    lines,
    messages: () => lines.map((line) => line.message),
  };
}
