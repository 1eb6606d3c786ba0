import type { GatewayDeps, GatewayOptions } from './deps';
import type { Registry } from './registry';

/** What every Gateway method works with: the injected deps, resolved options and the endorser registry. */
export interface GatewayContext {
  deps: GatewayDeps;
  options: GatewayOptions;
  registry: Registry;
  /**
   * Orders the organizations still to ask for endorsement and the orderers to try; default `shuffle` (Fabric
   * shuffles its layouts and orderers). Tests pass the identity to make the order predictable.
   */
  order?: <T>(items: readonly T[]) => T[];
}

/** Per-call state from gRPC: when the client stops waiting, and a signal that fires when it goes away. */
export interface CallContext {
  /** The client's deadline, if it set one. */
  deadline?: Date;
  /** True once the client has cancelled or the deadline has passed (what `signal.aborted` says, without a signal). */
  readonly aborted: boolean;
  /** Aborted when the client cancels or the deadline passes. */
  readonly signal: AbortSignal;
}

/** The earlier of `now + timeoutMs` and the call's deadline (Fabric: context.WithTimeout under the call's ctx). */
export function boundedDeadline(timeoutMs: number, call: CallContext): Date {
  const local = Date.now() + timeoutMs;
  return new Date(call.deadline ? Math.min(local, call.deadline.getTime()) : local);
}
