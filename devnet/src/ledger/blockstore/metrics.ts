import { Gauge, Histogram, register } from 'prom-client';

/**
 * Block storage metrics with Fabric's names (fabric common/ledger/blkstorage/metrics.go and
 * core/ledger/kvledger/metrics.go), registered once per process in prom-client's default registry.
 */
export const blockstoreMetrics = {
  height: singleton(
    'ledger_blockchain_height',
    () =>
      new Gauge({
        name: 'ledger_blockchain_height',
        help: 'Height of the chain in blocks.',
        labelNames: ['channel'],
      }),
  ),
  commitTime: singleton(
    'ledger_blockstorage_commit_time',
    () =>
      new Histogram({
        name: 'ledger_blockstorage_commit_time',
        help: 'Time taken in seconds for committing the block to storage.',
        labelNames: ['channel'],
        buckets: [0.005, 0.01, 0.015, 0.05, 0.1, 1, 10],
      }),
  ),
};

/** The metric already registered under `name`, else a new one (tests open many stores). */
function singleton<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}
