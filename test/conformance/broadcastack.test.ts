import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { hash, signers } from '@hyperledger/fabric-gateway';
import { common, msp, orderer, peer } from '@hyperledger/fabric-protos';
import { conformanceNetwork, errorText, uniqueKey, type GatewayConnection } from './support';

// When the orderer answers Broadcast (issue 19): Fabric's orderer (broadcast.go ProcessMessage with
// etcdraft's Order/Submit) answers SUCCESS once the envelope is accepted for ordering, before its
// block is cut; the commit status is what tells a client its transaction is in a block. Pinned with
// a BatchTimeout of ten minutes (a config update signed by the orderer organization's admin), so
// the transaction's block cannot be cut before the check: the next config update cuts it.
const c = conformanceNetwork();
const LONG_BATCH_TIMEOUT = '10m';

/** The orderer's admin as a signer of config updates and envelopes: its SerializedIdentity and ECDSA key. */
function ordererAdmin(): { creator: Uint8Array; sign(message: Uint8Array): Promise<Uint8Array> } {
  const { admin, mspId } = c.net.orderer;
  const id = new msp.SerializedIdentity();
  id.setMspid(mspId);
  id.setIdBytes(fs.readFileSync(admin.certPath));
  const signer = signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(admin.keyPath)));
  return { creator: id.serializeBinary(), sign: (message) => signer(hash.sha256(message)) };
}

/** A signature header of `creator` with a fresh nonce. */
function signatureHeader(creator: Uint8Array): Uint8Array {
  const shdr = new common.SignatureHeader();
  shdr.setCreator(creator);
  shdr.setNonce(crypto.randomBytes(24));
  return shdr.serializeBinary();
}

/** The channel's config from a ministry's peer (cscc GetConfigBlock, as `peer channel fetch config`). */
async function currentConfig(conn: GatewayConnection): Promise<common.Config> {
  const bytes = await conn.gateway
    .getNetwork(c.channel)
    .getContract('cscc')
    .evaluate('GetConfigBlock', { arguments: [c.channel] });
  const block = common.Block.deserializeBinary(bytes);
  const env = common.Envelope.deserializeBinary(block.getData()!.getDataList_asU8()[0]);
  const payload = common.Payload.deserializeBinary(env.getPayload_asU8());
  return common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig()!;
}

/** The Orderer group's BatchTimeout value of a config. */
function batchTimeoutOf(config: common.Config): { value: common.ConfigValue; timeout: string } {
  const value = config.getChannelGroup()!.getGroupsMap().get('Orderer')!.getValuesMap().get('BatchTimeout')!;
  return { value, timeout: orderer.BatchTimeout.deserializeBinary(value.getValue_asU8()).getTimeout() };
}

/**
 * The CONFIG_UPDATE envelope setting the channel's BatchTimeout (configtxlator compute_update's
 * read and write sets for one changed value), signed by the orderer organization's admin, whom the
 * value's mod_policy (/Channel/Orderer/Admins) names.
 */
async function batchTimeoutUpdate(config: common.Config, timeout: string): Promise<common.Envelope> {
  const channelGroup = config.getChannelGroup()!;
  const ordererGroup = channelGroup.getGroupsMap().get('Orderer')!;
  const current = batchTimeoutOf(config).value;
  const readOrderer = new common.ConfigGroup();
  readOrderer.setVersion(ordererGroup.getVersion());
  const read = new common.ConfigGroup();
  read.setVersion(channelGroup.getVersion());
  read.getGroupsMap().set('Orderer', readOrderer);
  const bt = new orderer.BatchTimeout();
  bt.setTimeout(timeout);
  const value = new common.ConfigValue();
  value.setVersion(current.getVersion() + 1);
  value.setModPolicy(current.getModPolicy());
  value.setValue(bt.serializeBinary());
  const writeOrderer = new common.ConfigGroup();
  writeOrderer.setVersion(ordererGroup.getVersion());
  writeOrderer.setModPolicy(ordererGroup.getModPolicy());
  writeOrderer.getValuesMap().set('BatchTimeout', value);
  const write = new common.ConfigGroup();
  write.setVersion(channelGroup.getVersion());
  write.setModPolicy(channelGroup.getModPolicy());
  write.getGroupsMap().set('Orderer', writeOrderer);
  const update = new common.ConfigUpdate();
  update.setChannelId(c.channel);
  update.setReadSet(read);
  update.setWriteSet(write);
  const updateBytes = update.serializeBinary();

  const admin = ordererAdmin();
  const signature = new common.ConfigSignature();
  const sigHeader = signatureHeader(admin.creator);
  signature.setSignatureHeader(sigHeader);
  signature.setSignature(await admin.sign(Buffer.concat([sigHeader, updateBytes])));
  const updateEnv = new common.ConfigUpdateEnvelope();
  updateEnv.setConfigUpdate(updateBytes);
  updateEnv.setSignaturesList([signature]);

  const chdr = new common.ChannelHeader();
  chdr.setType(common.HeaderType.CONFIG_UPDATE);
  chdr.setChannelId(c.channel);
  const header = new common.Header();
  header.setChannelHeader(chdr.serializeBinary());
  header.setSignatureHeader(signatureHeader(admin.creator));
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(updateEnv.serializeBinary());
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  env.setSignature(await admin.sign(env.getPayload_asU8()));
  return env;
}

/** Broadcasts one envelope to the orderer (as `peer channel update` does) and returns its response. */
function broadcast(env: common.Envelope): Promise<orderer.BroadcastResponse> {
  const o = c.net.orderer;
  const client = new grpc.Client(
    `${o.host}:${o.port}`,
    grpc.credentials.createSsl(fs.readFileSync(o.tlsCaCertPath)),
    { 'grpc.ssl_target_name_override': o.name },
  );
  return new Promise<orderer.BroadcastResponse>((resolve, reject) => {
    const stream = client.makeBidiStreamRequest(
      '/orderer.AtomicBroadcast/Broadcast',
      (e: common.Envelope) => Buffer.from(e.serializeBinary()),
      (bytes: Buffer) => orderer.BroadcastResponse.deserializeBinary(bytes),
      new grpc.Metadata(),
      { deadline: Date.now() + 30_000 },
    );
    stream.on('data', (r: orderer.BroadcastResponse) => {
      resolve(r);
      stream.end();
    });
    stream.on('error', reject);
    stream.on('end', () => reject(new Error('the orderer ended the Broadcast stream without a response')));
    stream.write(env);
  }).finally(() => client.close());
}

/** Sets the channel's BatchTimeout and waits until the ministry's peer has committed the config block; its number. */
async function setBatchTimeout(conn: GatewayConnection, timeout: string): Promise<bigint> {
  const network = conn.gateway.getNetwork(c.channel);
  const info = common.BlockchainInfo.deserializeBinary(
    await network.getContract('qscc').evaluate('GetChainInfo', { arguments: [c.channel] }),
  );
  const events = await network.getBlockEvents({ startBlock: BigInt(info.getHeight()) });
  // Read from now on, so that no block is missed; abandoned (closed below) if the update fails.
  const configBlock = firstConfigBlock(events);
  configBlock.catch(() => undefined);
  try {
    const response = await broadcast(await batchTimeoutUpdate(await currentConfig(conn), timeout));
    expect([response.getStatus(), response.getInfo()]).toEqual([common.Status.SUCCESS, '']);
    return await configBlock;
  } finally {
    events.close();
  }
}

/** The number of the first block of `events` that holds a CONFIG transaction. */
async function firstConfigBlock(events: AsyncIterable<common.Block>): Promise<bigint> {
  for await (const block of events) {
    const env = common.Envelope.deserializeBinary(block.getData()!.getDataList_asU8()[0]);
    const chdr = common.ChannelHeader.deserializeBinary(
      common.Payload.deserializeBinary(env.getPayload_asU8()).getHeader()!.getChannelHeader_asU8(),
    );
    if (chdr.getType() === common.HeaderType.CONFIG) return BigInt(block.getHeader()!.getNumber());
  }
  throw new Error('block events ended before the config block');
}

describe('Broadcast acknowledgement', () => {
  let conn: GatewayConnection;
  beforeAll(() => (conn = c.gateway(c.mspIds[0])));
  afterAll(() => conn.close());

  it('answers SUCCESS once the transaction is accepted for ordering, before its block is cut; the commit status follows the block', async () => {
    const original = batchTimeoutOf(await currentConfig(conn)).timeout;
    await setBatchTimeout(conn, LONG_BATCH_TIMEOUT);
    let restored: bigint | undefined;
    try {
      expect(batchTimeoutOf(await currentConfig(conn)).timeout).toBe(LONG_BATCH_TIMEOUT);
      const key = uniqueKey('ack');
      const tx = await c
        .contract(conn)
        .newProposal('Put', { arguments: [key, 'v'] })
        .endorse();
      // fabric-gateway's submit returns with the orderer's SUCCESS; the block waits for BatchTimeout.
      const submitted = await tx.submit();
      const lookup = conn.gateway
        .getNetwork(c.channel)
        .getContract('qscc')
        .evaluate('GetTransactionByID', { arguments: [c.channel, tx.getTransactionId()] });
      await expect(
        lookup.then(
          () => 'committed',
          (err: unknown) => errorText(err),
        ),
      ).resolves.toMatch(`Failed to get transaction with id ${tx.getTransactionId()}`);
      // The next config update cuts the pending batch (the transaction's block) before its own block.
      restored = await setBatchTimeout(conn, original);
      const status = await submitted.getStatus();
      expect(status.code).toBe(peer.TxValidationCode.VALID);
      expect(status.blockNumber).toBe(restored - BigInt(1));
    } finally {
      if (restored === undefined) await setBatchTimeout(conn, original);
    }
    expect(batchTimeoutOf(await currentConfig(conn)).timeout).toBe(original);
  }, 120_000);
});
