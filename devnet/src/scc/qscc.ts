import { common, peer } from '@hyperledger/fabric-protos';
import type { BlockStore } from '../ledger/blockstore';

/** Fabric's qscc function names (core/scc/qscc). */
export const QSCC_FUNCTIONS = [
  'GetChainInfo',
  'GetBlockByNumber',
  'GetBlockByHash',
  'GetTransactionByID',
  'GetBlockByTxID',
] as const;

/** Thrown for a shim.Error of a system chaincode: status 500 with this message. */
export class SccError extends Error {}

/** The block store calls qscc needs. */
export type QsccLedger = Pick<
  BlockStore,
  | 'height'
  | 'lastBlock'
  | 'currentBlockHash'
  | 'getBlock'
  | 'getBlockByHash'
  | 'getBlockByTxId'
  | 'getTxById'
  | 'getTxLocation'
>;

/**
 * Runs one qscc function on a channel's ledger (Fabric's LedgerQuerier after the ACL check) and
 * returns the marshaled result; throws {@link SccError} with Fabric's messages.
 */
export async function invokeQscc(fname: string, args: Uint8Array[], ledger: QsccLedger): Promise<Uint8Array> {
  const arg = args[2];
  switch (fname) {
    case 'GetChainInfo':
      return chainInfo(ledger).serializeBinary();
    case 'GetBlockByNumber': {
      if (!arg || arg.length === 0) throw new SccError('Block number must not be nil.');
      const text = Buffer.from(arg).toString();
      if (!/^\d+$/.test(text))
        throw new SccError(
          `Failed to parse block number with error strconv.ParseUint: parsing "${text}": invalid syntax`,
        );
      const n = BigInt(text);
      // Fabric's block store answers MaxUint64 with the last block.
      const num = n === 18446744073709551615n ? ledger.height() - 1 : Number(n);
      const block =
        n > BigInt(Number.MAX_SAFE_INTEGER) && num !== ledger.height() - 1
          ? undefined
          : await ledger.getBlock(num);
      if (!block)
        throw new SccError(
          `Failed to get block number ${text}, error no such block number [${text}] in index`,
        );
      return block.serializeBinary();
    }
    case 'GetBlockByHash': {
      if (!arg || arg.length === 0) throw new SccError('Block hash must not be nil.');
      const block = await ledger.getBlockByHash(arg);
      if (!block)
        throw new SccError(
          `Failed to get block hash ${Buffer.from(arg).toString()}, error no such block hash [${Buffer.from(arg).toString('hex')}] in index`,
        );
      return block.serializeBinary();
    }
    case 'GetTransactionByID': {
      if (!arg || arg.length === 0) throw new SccError('Transaction ID must not be nil.');
      const txId = Buffer.from(arg).toString();
      const env = await ledger.getTxById(txId);
      const loc = env && (await ledger.getTxLocation(txId));
      if (!env || !loc)
        throw new SccError(
          `Failed to get transaction with id ${txId}, error no such transaction ID [${txId}] in index`,
        );
      const pt = new peer.ProcessedTransaction();
      pt.setTransactionenvelope(env);
      pt.setValidationcode(loc.validationCode);
      return pt.serializeBinary();
    }
    case 'GetBlockByTxID': {
      const txId = Buffer.from(arg ?? new Uint8Array()).toString();
      const block = txId === '' ? undefined : await ledger.getBlockByTxId(txId);
      if (!block)
        throw new SccError(
          `Failed to get block for txID ${txId}, error no such transaction ID [${txId}] in index`,
        );
      return block.serializeBinary();
    }
    default:
      throw new SccError(`Requested function ${fname} not found.`);
  }
}

/** The ledger's BlockchainInfo: height, current and previous block hash. */
export function chainInfo(ledger: QsccLedger): common.BlockchainInfo {
  const info = new common.BlockchainInfo();
  info.setHeight(ledger.height());
  const last = ledger.lastBlock();
  if (last) {
    info.setCurrentblockhash(ledger.currentBlockHash());
    info.setPreviousblockhash(last.getHeader()!.getPreviousHash_asU8());
  }
  return info;
}
