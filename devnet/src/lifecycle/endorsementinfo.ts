import { peer } from '@hyperledger/fabric-protos';
import { fieldKey, LIFECYCLE_NAMESPACE, NAMESPACES_NAME } from './serializer';

/**
 * Fabric's ChaincodeEndorsementInfoSource.CachedChaincodeInfo: the endorser reads the chaincode's committed
 * `_lifecycle` sequence through the transaction simulator, so the read lands in the read-write set (an
 * upgrade committed before this transaction makes it an MVCC_READ_CONFLICT), and refuses when the
 * cached definition is not that sequence. Throws with Fabric's messages.
 */
export async function readDefinitionSequence(
  simulator: { getState(ns: string, key: string): Promise<Uint8Array | undefined> },
  channelId: string,
  chaincodeName: string,
  cachedSequence: number,
): Promise<void> {
  const bytes = await simulator.getState(
    LIFECYCLE_NAMESPACE,
    fieldKey(NAMESPACES_NAME, chaincodeName, 'Sequence'),
  );
  let current: number;
  try {
    current = peer.lifecycle.StateData.deserializeBinary(bytes ?? new Uint8Array()).getInt64();
  } catch (err) {
    throw new Error(
      `could not get current sequence for chaincode '${chaincodeName}' on channel '${channelId}': ${(err as Error).message}`,
    );
  }
  if (current === 0) {
    throw new Error(`chaincode definition for '${chaincodeName}' not found`);
  }
  if (current !== cachedSequence) {
    throw new Error(
      `chaincode cache at sequence ${cachedSequence} but current sequence is ${current}, chaincode definition for '${chaincodeName}' changed during invoke`,
    );
  }
}
