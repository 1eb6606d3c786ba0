import { privateData, type PrivateDataSimulator } from './privatedata';
import type { TransactionContext } from './transactioncontext';

function ctx(
  isInit: boolean,
  simulator: Partial<PrivateDataSimulator>,
  checks: string[],
): TransactionContext {
  const sim = {
    ...simulator,
    checkReadAccess: (ns: string, c: string) => checks.push(`read ${ns}/${c}`),
    checkWriteAccess: (ns: string, c: string) => checks.push(`write ${ns}/${c}`),
  };
  return { isInit, namespace: 'cc', simulator: sim } as unknown as TransactionContext;
}

describe('privateData (handler side of the private data APIs)', () => {
  it('refuses every private data API in Init with Fabric text', () => {
    expect(() => privateData(ctx(true, { getPrivateData: async () => undefined }, []), 'c1', 'none')).toThrow(
      'private data APIs are not allowed in chaincode Init()',
    );
  });

  it('checks read access for reads and write access for writes, nothing for hashes', () => {
    const checks: string[] = [];
    const c = ctx(false, { getPrivateData: async () => undefined }, checks);
    privateData(c, 'c1', 'read');
    privateData(c, 'c2', 'write');
    privateData(c, 'c3', 'none');
    expect(checks).toEqual(['read cc/c1', 'write cc/c2']);
  });

  it('fails clearly when the simulator has no private data support', () => {
    expect(() => privateData(ctx(false, {}, []), 'c1', 'read')).toThrow(
      "private data (collection 'c1') is not available in this simulation",
    );
  });
});
