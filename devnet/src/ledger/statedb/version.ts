/**
 * A committed version of a key: the height (block number, transaction number) of the transaction
 * that last wrote it, as Fabric's `version.Height` (core/ledger/internal/version/version.go).
 */
export interface Version {
  blockNum: number;
  txNum: number;
}

/** True when both versions are absent or both name the same height (Fabric's `version.AreSame`). */
export function versionsEqual(a: Version | undefined, b: Version | undefined): boolean {
  if (a === undefined || b === undefined) {
    return a === b;
  }
  return a.blockNum === b.blockNum && a.txNum === b.txNum;
}

/** Orders heights: negative when `a` is lower than `b` (Fabric's `Height.Compare`). */
export function compareVersions(a: Version, b: Version): number {
  return a.blockNum !== b.blockNum ? a.blockNum - b.blockNum : a.txNum - b.txNum;
}
