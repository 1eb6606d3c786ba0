import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from './principal';

/**
 * The caller of the request being served, carried through the async work of that request, so the
 * chaincode and records clients sign as the caller without every route passing it along.
 */
export type Caller = { principal: Principal } | { public: true };

const storage = new AsyncLocalStorage<Caller>();

/** Runs `fn` (the rest of the request) as `caller`. */
export function runAs<T>(caller: Caller, fn: () => T): T {
  return storage.run(caller, fn);
}

/** The caller of the current request, or undefined outside of one. */
export function currentCaller(): Caller | undefined {
  return storage.getStore();
}
