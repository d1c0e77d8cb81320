/**
 * The type of `bw.events`: eventemitter3's `EventEmitter<BreakwaterEvents<S>>`, method for method, but for
 * `listeners()`, which gives plain functions. The class type itself would make `Breakwater<'apollo'>`
 * unassignable to `Breakwater` (its `listeners()` returns listeners of the narrower payloads), and code that
 * takes any instance (the express plugin, a host's `bw: Breakwater`, an `EventEmitter<BreakwaterEvents>`
 * parameter) must keep taking one typed by its services.
 */
import type { EventEmitter } from 'eventemitter3';
import type { BreakwaterEventName, BreakwaterEvents } from './events.js';

type Listener<S extends string, E extends BreakwaterEventName> = EventEmitter.EventListener<BreakwaterEvents<S>, E>;

export interface BreakwaterEmitter<S extends string = string> {
  eventNames(): BreakwaterEventName[];
  listeners(event: BreakwaterEventName): EventEmitter.ListenerFn[];
  listenerCount(event: BreakwaterEventName): number;
  emit<E extends BreakwaterEventName>(event: E, ...args: EventEmitter.EventArgs<BreakwaterEvents<S>, E>): boolean;
  on<E extends BreakwaterEventName>(event: E, fn: Listener<S, E>, context?: unknown): this;
  addListener<E extends BreakwaterEventName>(event: E, fn: Listener<S, E>, context?: unknown): this;
  once<E extends BreakwaterEventName>(event: E, fn: Listener<S, E>, context?: unknown): this;
  removeListener<E extends BreakwaterEventName>(event: E, fn?: Listener<S, E>, context?: unknown, once?: boolean): this;
  off<E extends BreakwaterEventName>(event: E, fn?: Listener<S, E>, context?: unknown, once?: boolean): this;
  removeAllListeners(event?: BreakwaterEventName): this;
}
