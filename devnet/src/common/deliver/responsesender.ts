import { common, ledger, orderer, peer } from '@hyperledger/fabric-protos';
import { getLogger } from '../logging';
import { toFilteredBlock } from './filteredblock';

const logger = getLogger('common.deliverevents');

/** A common.Status value. */
export type Status = common.StatusMap[keyof common.StatusMap];

/**
 * Which Deliver service a stream belongs to: `full`, `filtered` and `private` are the peer's
 * `protos.Deliver/{Deliver,DeliverFiltered,DeliverWithPrivateData}` (peer.DeliverResponse);
 * `orderer` is `orderer.AtomicBroadcast/Deliver` (orderer.DeliverResponse, status and block only).
 */
export type DeliverMode = 'full' | 'filtered' | 'private' | 'orderer';

/** Either kind of DeliverResponse. */
export type DeliverResponseMessage = peer.DeliverResponse | orderer.DeliverResponse;

/** Builds the responses of one Deliver service (fabric core/peer/deliverevents.go response senders). */
export interface ResponseSender {
  /** Label value of the deliver metrics (fabric DataType). */
  readonly dataType: string;
  statusResponse(status: Status): DeliverResponseMessage;
  /**
   * The response carrying `block`; for filtered blocks that cannot be built, a BAD_REQUEST status.
   * `privateData` (tx sequence in block → the client's eligible private write set) is used by `private` only.
   */
  blockResponse(block: common.Block, privateData?: PrivateDataMap): DeliverResponseMessage;
}

/** BlockAndPrivateData.private_data_map: tx sequence in the block → the private write set sent for it. */
export type PrivateDataMap = ReadonlyMap<number, ledger.rwset.TxPvtReadWriteSet>;

/** The response sender of a mode. */
export function responseSender(mode: DeliverMode): ResponseSender {
  switch (mode) {
    case 'orderer':
      return ordererSender;
    case 'full':
      return blockSender;
    case 'filtered':
      return filteredSender;
    case 'private':
      return privateSender;
    default:
      throw new Error(`unknown deliver mode '${String(mode)}'`);
  }
}

function peerStatus(status: Status): peer.DeliverResponse {
  const r = new peer.DeliverResponse();
  r.setStatus(status);
  return r;
}

const ordererSender: ResponseSender = {
  dataType: 'block',
  statusResponse(status) {
    const r = new orderer.DeliverResponse();
    r.setStatus(status);
    return r;
  },
  blockResponse(block) {
    const r = new orderer.DeliverResponse();
    r.setBlock(block);
    return r;
  },
};

const blockSender: ResponseSender = {
  dataType: 'block',
  statusResponse: peerStatus,
  blockResponse(block) {
    const r = new peer.DeliverResponse();
    r.setBlock(block);
    return r;
  },
};

const filteredSender: ResponseSender = {
  dataType: 'filtered_block',
  statusResponse: peerStatus,
  blockResponse(block) {
    let filtered: peer.FilteredBlock;
    try {
      filtered = toFilteredBlock(block);
    } catch (err) {
      // Fabric sends BAD_REQUEST in place of the block and goes on with the next one.
      logger.warn({ err: (err as Error).message }, 'Failed to generate filtered block');
      return peerStatus(common.Status.BAD_REQUEST);
    }
    const r = new peer.DeliverResponse();
    r.setFilteredBlock(filtered);
    return r;
  },
};

const privateSender: ResponseSender = {
  dataType: 'block_and_pvtdata',
  statusResponse: peerStatus,
  blockResponse(block, privateData) {
    const bapd = new peer.BlockAndPrivateData();
    bapd.setBlock(block);
    const map = bapd.getPrivateDataMapMap();
    for (const [seq, pvt] of privateData ?? []) map.set(seq, pvt);
    const r = new peer.DeliverResponse();
    r.setBlockAndPrivateData(bapd);
    return r;
  },
};
