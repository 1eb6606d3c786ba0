import { addVersion, versionInForce, type VersionRef } from './rule-versioning';

const ref = (
  version: number,
  effectiveFrom: string,
  enactedAt: string,
  effectiveUntil?: string,
): VersionRef => ({
  version,
  proposalId: `p${version}`,
  enactedAt,
  enactedTxId: `t${version}`,
  effectiveFrom,
  ...(effectiveUntil ? { effectiveUntil } : {}),
});

describe('version in force', () => {
  const v1 = ref(1, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', '2025-12-01T00:00:00.000Z');
  const v2 = ref(2, '2025-06-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z');
  const head = addVersion(addVersion(undefined, 'rule', 'R', v1), 'rule', 'R', v2);

  it('is the newest version enacted and effective by then', () => {
    expect(versionInForce(head, '2024-12-31T00:00:00.000Z')).toBeUndefined();
    expect(versionInForce(head, '2025-02-01T00:00:00.000Z')?.version).toBe(1);
    expect(versionInForce(head, '2025-06-01T00:00:00.000Z')?.version).toBe(2);
    // v2 replaces v1 although v1 would still run until December
    expect(versionInForce(head, '2025-07-01T00:00:00.000Z')?.version).toBe(2);
  });

  it('ignores a version not yet enacted at that time, and ends at effectiveUntil', () => {
    const late = addVersion(
      undefined,
      'law',
      'L',
      ref(1, '2025-01-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z'),
    );
    expect(versionInForce(late, '2025-02-01T00:00:00.000Z')).toBeUndefined();
    const ended = addVersion(undefined, 'law', 'L', v1);
    expect(versionInForce(ended, '2025-11-30T23:59:59.999Z')?.version).toBe(1);
    expect(versionInForce(ended, '2025-12-01T00:00:00.000Z')).toBeUndefined();
  });
});
