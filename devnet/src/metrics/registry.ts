import { Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * The metric registered under `name` in prom-client's default registry (served at /metrics), created on
 * first use: several nodes may share one process (tests), and each must not register it twice.
 */
function existing<T>(name: string): T | undefined {
  return register.getSingleMetric(name) as T | undefined;
}

/** A counter by Fabric's name, help and labels. */
export function counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
  return existing<Counter<string>>(name) ?? new Counter({ name, help, labelNames });
}

/** A gauge by Fabric's name, help and labels. */
export function gauge(name: string, help: string, labelNames: string[] = []): Gauge<string> {
  return existing<Gauge<string>>(name) ?? new Gauge({ name, help, labelNames });
}

/** A histogram in seconds; `buckets` as Fabric declares them (prom-client's defaults = Prometheus DefBuckets). */
export function histogram(
  name: string,
  help: string,
  labelNames: string[],
  buckets?: number[],
): Histogram<string> {
  return (
    existing<Histogram<string>>(name) ??
    new Histogram({ name, help, labelNames, ...(buckets ? { buckets } : {}) })
  );
}
