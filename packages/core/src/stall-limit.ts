/**
 * Bounds every call a long operation makes to a port: a call that neither answers nor fails within
 * `stallMs` fails the operation with `ResumeStalledError`, so an operation waiting on a store that went
 * silent (a black-holed connection) ends, and releases what it holds, instead of waiting forever.
 */
import { ResumeStalledError } from './errors.js';

export function withStallLimit<T extends object>(portName: string, port: T, stallMs: number): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'subscribe') return value;
      return (...args: unknown[]) => {
        const call = (value as (...a: unknown[]) => unknown).apply(target, args);
        return call instanceof Promise ? bounded(call, `${portName}.${String(property)}`, stallMs) : call;
      };
    },
  });
}

function bounded<T>(call: Promise<T>, what: string, stallMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ResumeStalledError(what, stallMs)), stallMs);
    call.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
