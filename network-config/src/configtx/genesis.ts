import { createHash, randomBytes } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';

/** Channel header version of a genesis block (`genesis.msgVersion`). */
const GENESIS_MSG_VERSION = 1;
/** Number of block metadata entries: SIGNATURES, LAST_CONFIG, TRANSACTIONS_FILTER, ORDERER, COMMIT_HASH. */
const BLOCK_METADATA_ENTRIES = 5;

/** SHA-256 of the concatenated data entries (`protoutil.ComputeBlockDataHash`). */
export function computeBlockDataHash(data: common.BlockData): Uint8Array {
  const hash = createHash('sha256');
  for (const entry of data.getDataList_asU8()) hash.update(entry);
  return new Uint8Array(hash.digest());
}

/** Hex SHA-256 of nonce ‖ creator (`protoutil.ComputeTxID`). */
function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  return createHash('sha256').update(nonce).update(creator).digest('hex');
}

/** The CONFIG envelope of a genesis block: unsigned, no creator, a fresh 24-byte nonce. */
function configEnvelope(channelGroup: common.ConfigGroup, channelId: string): common.Envelope {
  const timestamp = new Timestamp();
  timestamp.setSeconds(Math.floor(Date.now() / 1000)); // Fabric zeroes the nanos (MakeChannelHeader)
  const nonce = new Uint8Array(randomBytes(24));

  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.CONFIG);
  channelHeader.setVersion(GENESIS_MSG_VERSION);
  channelHeader.setTimestamp(timestamp);
  channelHeader.setChannelId(channelId);
  channelHeader.setEpoch(0);
  channelHeader.setTxId(computeTxId(nonce, new Uint8Array()));

  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setNonce(nonce);

  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());

  const config = new common.Config();
  config.setChannelGroup(channelGroup);
  const configEnv = new common.ConfigEnvelope();
  configEnv.setConfig(config);

  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(configEnv.serializeBinary());

  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope;
}

/** Genesis metadata as `genesis.Factory.Block` leaves it: LAST_CONFIG and SIGNATURES point at block 0. */
function genesisMetadata(): common.BlockMetadata {
  const entries: Uint8Array[] = Array.from({ length: BLOCK_METADATA_ENTRIES }, () => new Uint8Array());

  const lastConfig = new common.LastConfig();
  lastConfig.setIndex(0);
  const lastConfigMd = new common.Metadata();
  lastConfigMd.setValue(lastConfig.serializeBinary());
  entries[common.BlockMetadataIndex.LAST_CONFIG] = lastConfigMd.serializeBinary();

  const ordererMd = new common.OrdererBlockMetadata();
  ordererMd.setLastConfig(lastConfig);
  const signaturesMd = new common.Metadata();
  signaturesMd.setValue(ordererMd.serializeBinary());
  entries[common.BlockMetadataIndex.SIGNATURES] = signaturesMd.serializeBinary();

  const metadata = new common.BlockMetadata();
  metadata.setMetadataList(entries);
  return metadata;
}

/**
 * Fabric's `genesis.Factory.Block`: block 0 with one unsigned CONFIG envelope carrying
 * ConfigEnvelope{config{channel_group}}, data_hash set, empty previous_hash, 5 metadata entries.
 */
export function genesisBlock(channelGroup: common.ConfigGroup, channelId: string): common.Block {
  const data = new common.BlockData();
  data.setDataList([configEnvelope(channelGroup, channelId).serializeBinary()]);

  const header = new common.BlockHeader();
  header.setNumber(0);
  header.setPreviousHash(new Uint8Array());
  header.setDataHash(computeBlockDataHash(data));

  const block = new common.Block();
  block.setHeader(header);
  block.setData(data);
  block.setMetadata(genesisMetadata());
  return block;
}
