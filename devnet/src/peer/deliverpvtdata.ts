import { ledger } from '@hyperledger/fabric-protos';
import type { PrivateDataMap } from '../common/deliver';
import type { StoredPvtData } from '../ledger/pvtdatastorage';
import type { Collection } from '../privdata/collections';
import type { SignedData } from '../protoutil/signeddata';

/** What {@link blockPrivateDataSource} reads: the private data store and the channel's collections. */
export interface BlockPrivateDataSources {
  /** The private data this peer holds for a committed block (purged write sets are gone). */
  store: { getBlock(blockNumber: number): Promise<StoredPvtData[]> };
  resolver: {
    collection(chaincodeName: string, coll: string): Collection | undefined;
    memberPolicy(c: Collection): { evaluate(signedData: SignedData[]): void };
  };
}

/**
 * The private data DeliverWithPrivateData sends with a block (fabric core/peer/deliverevents.go
 * getPrivateData + collPolicyChecker): of the write sets this peer holds for the block, each collection
 * the requesting client is eligible for, by tx sequence in the block. A collection without memberOnlyRead
 * is sent to any client allowed to receive blocks; otherwise the client's signed request must satisfy the
 * collection's member orgs policy. A collection the chaincode does not define is an error (the stream ends).
 * devnet reads the current collection config, where Fabric reads the one committed below the block.
 */
export function blockPrivateDataSource(
  src: BlockPrivateDataSources,
): (blockNumber: number, signedData: SignedData[]) => Promise<PrivateDataMap> {
  return async (blockNumber, signedData) => {
    const eligible = new Map<string, boolean>(); // per collection, for this block
    const isEligible = (ns: string, coll: string): boolean => {
      const id = `${ns}\u0000${coll}`;
      let ok = eligible.get(id);
      if (ok === undefined) {
        ok = checkCollectionPolicy(src, ns, coll, signedData);
        eligible.set(id, ok);
      }
      return ok;
    };
    const out = new Map<number, ledger.rwset.TxPvtReadWriteSet>();
    for (const stored of await src.store.getBlock(blockNumber)) {
      const pvt = eligiblePart(stored.pvt, isEligible);
      if (pvt) out.set(stored.txNum, pvt);
    }
    return out;
  };
}

/** Fabric's CheckCollectionPolicy: true when the client may see the collection's private data. */
function checkCollectionPolicy(
  src: BlockPrivateDataSources,
  ns: string,
  coll: string,
  signedData: SignedData[],
): boolean {
  const c = src.resolver.collection(ns, coll);
  if (!c) throw new Error(`no collection config was found for collection ${coll} for chaincode ${ns}`);
  if (!c.memberOnlyRead) return true;
  try {
    src.resolver.memberPolicy(c).evaluate(signedData);
    return true;
  } catch {
    return false;
  }
}

/** The collections of `pvt` that pass `keep`, or undefined when none does. */
function eligiblePart(
  pvt: ledger.rwset.TxPvtReadWriteSet,
  keep: (ns: string, coll: string) => boolean,
): ledger.rwset.TxPvtReadWriteSet | undefined {
  const out = new ledger.rwset.TxPvtReadWriteSet();
  out.setDataModel(pvt.getDataModel());
  for (const ns of pvt.getNsPvtRwsetList()) {
    const colls = ns
      .getCollectionPvtRwsetList()
      .filter((c) => keep(ns.getNamespace(), c.getCollectionName()));
    if (colls.length === 0) continue;
    const n = new ledger.rwset.NsPvtReadWriteSet();
    n.setNamespace(ns.getNamespace());
    n.setCollectionPvtRwsetList(colls);
    out.addNsPvtRwset(n);
  }
  return out.getNsPvtRwsetList().length > 0 ? out : undefined;
}
