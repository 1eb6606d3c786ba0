import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Latency buckets in seconds: 1 ms to 60 s (commit waits can be long on a loaded network). */
const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Stages of a Fabric call, as fabric-gateway performs them. */
export type FabricStage = 'evaluate' | 'endorse' | 'submit' | 'commit';

/** Outcomes of a submitted transaction. */
export type TransactionOutcome = 'committed' | 'invalid' | 'refused' | 'unknown';

/**
 * The gateway's Prometheus metrics (served at `/metrics`): HTTP requests by route and status,
 * per-stage Fabric latency, transaction outcomes, and Node's process metrics. One registry per
 * process, so that creating several apps (tests) does not register twice.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'govfabric_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'govfabric_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: BUCKETS,
    registers: [this.registry],
  });
  readonly fabricStage = new Histogram({
    name: 'govfabric_fabric_stage_duration_seconds',
    help: 'Time of each Fabric stage (evaluate, endorse, submit, commit), by outcome',
    labelNames: ['stage', 'outcome'] as const,
    buckets: BUCKETS,
    registers: [this.registry],
  });
  readonly transactions = new Counter({
    name: 'govfabric_transactions_total',
    help: 'Submitted transactions by outcome: committed, invalid (validation code), refused (endorsement), unknown (commit status not known)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'govfabric_' });
  }

  /** Times `fn` as one Fabric stage. */
  async time<T>(stage: FabricStage, fn: () => Promise<T>): Promise<T> {
    const end = this.fabricStage.startTimer({ stage });
    try {
      const result = await fn();
      end({ outcome: 'ok' });
      return result;
    } catch (err) {
      end({ outcome: 'error' });
      throw err;
    }
  }
}

/** The process's metrics. */
export const metrics = new GatewayMetrics();
