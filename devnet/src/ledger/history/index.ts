export { HistoryDB } from './historydb';
export type { HistoryIterator, HistoryResult } from './historydb';
export { historyEntriesOfBlock } from './entries';
export type { HistoryEntry } from './entries';
