import { AsyncLocalStorage } from 'node:async_hooks';

/** What the gateway knows about the request being served, wherever the code runs for it. */
export interface RequestContext {
  requestId: string;
  /** The last transaction this request proposed (set by the Fabric layer). */
  transactionId?: string;
  /** The client asked for an asynchronous submit (`Prefer: respond-async`): 202 once ordered. */
  respondAsync?: boolean;
  /** How many transactions the request's submit proposed (retries of read conflicts included). */
  attempts?: number;
  /** Told each attempt (the app answers it in the `Transaction-Attempts` header). */
  onAttempt?: (attempts: number) => void;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` (and everything it starts) within `context`. */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the request being served, if any. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Notes that the current request's submit makes its `attempts`th attempt. */
export function noteAttempt(attempts: number): void {
  const context = storage.getStore();
  if (!context) return;
  context.attempts = attempts;
  context.onAttempt?.(attempts);
}

/** Notes the transaction the current request proposed, for its log line. */
export function noteTransaction(transactionId: string): void {
  const context = storage.getStore();
  if (context) context.transactionId = transactionId;
}
