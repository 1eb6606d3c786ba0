import { Counter, Histogram, register } from 'prom-client';

/** Broadcast metrics with Fabric's names (fabric orderer/common/broadcast/metrics.go), one set per process. */
export const ordererMetrics = {
  processedCount: singleton(
    'broadcast_processed_count',
    () =>
      new Counter({
        name: 'broadcast_processed_count',
        help: 'The number of transactions processed.',
        labelNames: ['channel', 'type', 'status'],
      }),
  ),
  enqueueDuration: singleton(
    'broadcast_enqueue_duration',
    () =>
      new Histogram({
        name: 'broadcast_enqueue_duration',
        help: 'The time to enqueue a transaction in seconds (until it is accepted for ordering, before its block is cut).',
        labelNames: ['channel', 'type', 'status'],
        buckets: [0.005, 0.01, 0.015, 0.05, 0.1, 0.25, 0.5, 1, 10],
      }),
  ),
};

/** The metric registered under `name`, created on first use. */
function singleton<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}
