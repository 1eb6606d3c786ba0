export { StateDB } from './statedb';
export type { VersionedKV, StateRangeIterator } from './statedb';
export { UpdateBatch } from './updatebatch';
export type { VersionedUpdate, KeyedUpdate } from './updatebatch';
export type { VersionedValue } from './value';
export { versionsEqual, compareVersions } from './version';
export type { Version } from './version';
export { compareKeys, sortedByKey } from './keyorder';
