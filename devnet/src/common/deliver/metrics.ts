import { Counter, register } from 'prom-client';

const streamLabels: string[] = [];
const requestLabels = ['channel', 'filtered', 'data_type'];

/** Deliver metrics with Fabric's names (fabric common/deliver/metrics.go), one set per process. */
export const deliverMetrics = {
  streamsOpened: counter(
    'deliver_streams_opened',
    'The number of GRPC streams that have been opened for the deliver service.',
    streamLabels,
  ),
  streamsClosed: counter(
    'deliver_streams_closed',
    'The number of GRPC streams that have been closed for the deliver service.',
    streamLabels,
  ),
  requestsReceived: counter(
    'deliver_requests_received',
    'The number of deliver requests that have been received.',
    requestLabels,
  ),
  requestsCompleted: counter(
    'deliver_requests_completed',
    'The number of deliver requests that have been completed.',
    [...requestLabels, 'success'],
  ),
  blocksSent: counter(
    'deliver_blocks_sent',
    'The number of blocks sent by the deliver service.',
    requestLabels,
  ),
};

/** The counter registered under `name`, created on first use (several servers may share a process). */
function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  return (
    (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames })
  );
}
