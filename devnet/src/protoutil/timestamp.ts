import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';

/** A google.protobuf.Timestamp for `date` (millisecond precision, like JS dates). */
export function timestampFromDate(date: Date): Timestamp {
  const ms = date.getTime();
  const ts = new Timestamp();
  const seconds = Math.floor(ms / 1000);
  ts.setSeconds(seconds);
  ts.setNanos((ms - seconds * 1000) * 1_000_000);
  return ts;
}

/** A google.protobuf.Timestamp for now. */
export function nowTimestamp(): Timestamp {
  return timestampFromDate(new Date());
}

/** Milliseconds since the epoch of a google.protobuf.Timestamp (0 when absent). */
export function timestampToMillis(ts: Timestamp | undefined): number {
  if (!ts) return 0;
  return ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1_000_000);
}

/** A Date for a google.protobuf.Timestamp (the epoch when absent). */
export function timestampToDate(ts: Timestamp | undefined): Date {
  return new Date(timestampToMillis(ts));
}
