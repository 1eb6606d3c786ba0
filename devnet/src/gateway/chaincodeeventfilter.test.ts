import { common, peer } from '@hyperledger/fabric-protos';
import { blockTransactions } from './block';
import { ChaincodeEventFilter } from './chaincodeeventfilter';

/** An endorser transaction envelope whose action carries `event` (or none). */
function envelope(txId: string, event?: { chaincodeId: string; name: string }): Uint8Array {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTxId(txId);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const action = new peer.ChaincodeAction();
  if (event) {
    const e = new peer.ChaincodeEvent();
    e.setChaincodeId(event.chaincodeId);
    e.setEventName(event.name);
    e.setTxId(txId);
    action.setEvents(e.serializeBinary());
  }
  const prp = new peer.ProposalResponsePayload();
  prp.setExtension$(action.serializeBinary());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(prp.serializeBinary());
  const cap = new peer.ChaincodeActionPayload();
  cap.setAction(endorsed);
  const txAction = new peer.TransactionAction();
  txAction.setPayload(cap.serializeBinary());
  const tx = new peer.Transaction();
  tx.setActionsList([txAction]);
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(tx.serializeBinary());
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  return env.serializeBinary();
}

function block(envelopes: Uint8Array[], codes: number[]): common.Block {
  const b = new common.Block();
  const data = new common.BlockData();
  data.setDataList(envelopes);
  b.setData(data);
  const metadata = new common.BlockMetadata();
  metadata.setMetadataList([
    new Uint8Array(),
    new Uint8Array(),
    Uint8Array.from(codes),
    new Uint8Array(),
    new Uint8Array(),
  ]);
  b.setMetadata(metadata);
  return b;
}

const VALID = peer.TxValidationCode.VALID;
const MVCC = peer.TxValidationCode.MVCC_READ_CONFLICT;

const names = (events: peer.ChaincodeEvent[]) => events.map((e) => `${e.getTxId()}:${e.getEventName()}`);

describe('ChaincodeEventFilter', () => {
  const b = block(
    [
      envelope('t1', { chaincodeId: 'egov', name: 'A' }),
      envelope('t2', { chaincodeId: 'egov', name: 'B' }), // invalid
      envelope('t3', { chaincodeId: 'other', name: 'C' }),
      envelope('t4'), // no event
      envelope('t5', { chaincodeId: 'egov', name: 'E' }),
      envelope('t6', { chaincodeId: 'egov', name: '' }), // incomplete event
    ],
    [VALID, MVCC, VALID, VALID, VALID, VALID],
  );

  test('events of the requested chaincode from valid transactions only, in block order', () => {
    expect(names(new ChaincodeEventFilter('egov', '').eventsOf(blockTransactions(b)))).toEqual([
      't1:A',
      't5:E',
    ]);
  });

  test('after_transaction_id skips that transaction and everything before it', () => {
    expect(names(new ChaincodeEventFilter('egov', 't1').eventsOf(blockTransactions(b)))).toEqual(['t5:E']);
  });

  test('after a transaction without events, the next events still come', () => {
    expect(names(new ChaincodeEventFilter('egov', 't4').eventsOf(blockTransactions(b)))).toEqual(['t5:E']);
  });

  test('state carries across blocks: nothing until the transaction is seen', () => {
    const filter = new ChaincodeEventFilter('egov', 'later');
    expect(filter.eventsOf(blockTransactions(b))).toEqual([]);
    const next = block(
      [
        envelope('later', { chaincodeId: 'egov', name: 'L' }),
        envelope('t7', { chaincodeId: 'egov', name: 'G' }),
      ],
      [VALID, VALID],
    );
    expect(names(filter.eventsOf(blockTransactions(next)))).toEqual(['t7:G']);
  });

  test('a transaction missing from TRANSACTIONS_FILTER counts as invalid', () => {
    const short = block([envelope('t1', { chaincodeId: 'egov', name: 'A' })], []);
    expect(blockTransactions(short)[0].validationCode).toBe(peer.TxValidationCode.INVALID_OTHER_REASON);
    expect(new ChaincodeEventFilter('egov', '').eventsOf(blockTransactions(short))).toEqual([]);
  });
});
