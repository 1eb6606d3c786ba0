import * as fs from 'node:fs';
// fabric-common is the legacy Node SDK: it takes the peer CLI's own path (ProcessProposal to each
// endorsing peer, Broadcast to the orderer, DeliverFiltered for the commit event).
import {
  Client,
  User,
  type Channel,
  type Committer,
  type Endorser,
  type Eventer,
  type IdentityContext,
} from 'fabric-common';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { committedEverywhere } from './calls';
import { orgOf, type Credentials } from './gateway';

/** A fabric-common client of one ministry with endorsers for every ministry, the orderer and an eventer. */
export interface LegacyClient {
  net: NetworkDescriptor;
  client: Client;
  idx: IdentityContext;
  channel: Channel;
  endorsers: Map<string, Endorser>;
  committer: Committer;
  eventer: Eventer;
  close(): void;
}

/** The outcome of an invoke: what the endorsers answered and how the transaction was committed. */
export interface LegacyInvokeResult {
  txId: string;
  payload: string;
  validationCode: string;
  blockNumber: number;
}

/** Connects fabric-common as a ministry's User1, its Admin or given credentials to every peer and the orderer. */
export async function connectLegacy(
  net: NetworkDescriptor,
  mspId: string,
  who: 'user' | 'admin' | Credentials = 'user',
): Promise<LegacyClient> {
  const org = orgOf(net, mspId);
  const name = typeof who === 'object' ? 'enrolled' : who === 'user' ? 'User1' : 'Admin';
  const client = Client.newClient(`govfabric-test-${mspId}-${name}`);
  const files = typeof who === 'object' ? undefined : who === 'user' ? org.user : org.admin;
  const user = User.createUser(
    name,
    '',
    mspId,
    typeof who === 'object' ? who.certificate : fs.readFileSync(files!.certPath, 'utf8'),
    typeof who === 'object' ? who.privateKeyPem : fs.readFileSync(files!.keyPath, 'utf8'),
  );
  const idx = client.newIdentityContext(user);
  const channel = client.newChannel(net.channel);
  const endorsers = new Map<string, Endorser>();
  for (const o of net.organizations) {
    const peer = o.peers[0];
    const endorser = client.newEndorser(peer.name, o.mspId);
    await endorser.connect(endpoint(client, peer.host, peer.port, o.tlsCaCertPath, peer.name));
    channel.addEndorser(endorser);
    endorsers.set(o.mspId, endorser);
  }
  const committer = client.newCommitter(net.orderer.name, net.orderer.mspId);
  await committer.connect(
    endpoint(client, net.orderer.host, net.orderer.port, net.orderer.tlsCaCertPath, net.orderer.name),
  );
  channel.addCommitter(committer);
  const peer = org.peers[0];
  const eventer = client.newEventer(peer.name);
  await eventer.connect(endpoint(client, peer.host, peer.port, org.tlsCaCertPath, peer.name));
  return {
    net,
    client,
    idx,
    channel,
    endorsers,
    committer,
    eventer,
    close: () => {
      for (const e of endorsers.values()) e.disconnect();
      committer.disconnect();
      eventer.disconnect();
    },
  };
}

function endpoint(client: Client, host: string, port: number, caPath: string, name: string) {
  return client.newEndpoint({
    url: `grpcs://${host}:${port}`,
    pem: fs.readFileSync(caPath, 'utf8'),
    'ssl-target-name-override': name,
    requestTimeout: 30_000,
    // fabric-common gives a connection 3 s to be ready by default: not always enough on a loaded
    // 2-core machine with suites running side by side (test/batches.js).
    'grpc-wait-for-ready-timeout': 30_000,
  });
}

/** What to invoke with {@link invokeChaincodeLegacy}. */
export interface LegacyInvokeOptions {
  chaincode: string;
  /** MSP ids whose peers endorse. */
  endorsers: string[];
  fcn: string;
  args: string[];
  /** The transient map; strings are sent as their UTF-8 bytes. */
  transient?: Record<string, string | Buffer>;
}

/**
 * Invokes any chaincode the way the peer CLI does (fabric-common): proposals to the named
 * ministries' peers, the transaction to the orderer, and the commit event from DeliverFiltered;
 * then waits until every peer has committed the block. Throws on a failed endorsement.
 */
export async function invokeChaincodeLegacy(
  legacy: LegacyClient,
  o: LegacyInvokeOptions,
): Promise<LegacyInvokeResult> {
  const endorsement = legacy.channel.newEndorsement(o.chaincode);
  const transientMap =
    o.transient === undefined
      ? undefined
      : Object.fromEntries(Object.entries(o.transient).map(([k, v]) => [k, Buffer.from(v)]));
  endorsement.build(legacy.idx, { fcn: o.fcn, args: o.args, ...(transientMap ? { transientMap } : {}) });
  endorsement.sign(legacy.idx);
  const targets = o.endorsers.map((m) => {
    const e = legacy.endorsers.get(m);
    if (e === undefined) throw new Error(`no endorser for ${m}`);
    return e;
  });
  const results = await endorsement.send({ targets, requestTimeout: 30_000 });
  if (results.errors.length > 0) throw results.errors[0];
  const bad = results.responses.find((r) => r.response.status !== 200);
  if (bad !== undefined)
    throw new Error(`endorsement failed: ${bad.response.status} ${bad.response.message}`);
  // Read it now: building the event service's request gives the identity context a new tx id.
  const txId = legacy.idx.transactionId;
  const { status, blockNumber } = await orderAndWaitForCommit(legacy, endorsement);
  // The event came from one peer; later reads may go to any ministry's peer.
  await committedEverywhere(legacy.net, BigInt(blockNumber));
  return {
    txId,
    payload: results.responses[0].response.payload.toString('utf8'),
    validationCode: status,
    blockNumber,
  };
}

/**
 * Orders an endorsed transaction as the peer CLI does: listens on the client's peer's DeliverFiltered,
 * broadcasts the transaction to the orderer and waits for its commit event (validation code, block).
 */
export async function orderAndWaitForCommit(
  legacy: LegacyClient,
  endorsement: ReturnType<Channel['newEndorsement']>,
): Promise<{ status: string; blockNumber: number }> {
  const txId = legacy.idx.transactionId; // the endorsed transaction's, before events.build renews it
  const events = legacy.channel.newEventService(`events-${txId}`);
  events.setTargets([legacy.eventer]);
  events.build(legacy.idx, {});
  events.sign(legacy.idx);
  await events.send();
  try {
    const committed = new Promise<{ status: string; blockNumber: number }>((resolve, reject) => {
      events.registerTransactionListener(
        txId,
        (err, event) =>
          err || event === undefined
            ? reject(err)
            : resolve({ status: event.status ?? '', blockNumber: Number(event.blockNumber) }),
        { unregister: true },
      );
    });
    const commit = endorsement.newCommit();
    commit.build(legacy.idx);
    commit.sign(legacy.idx);
    const broadcast = await commit.send({ targets: [legacy.committer], requestTimeout: 30_000 });
    if (broadcast.status !== 'SUCCESS')
      throw new Error(`orderer answered ${broadcast.status}: ${broadcast.info}`);
    return await committed;
  } finally {
    events.close();
  }
}

/** Invokes egov the way the peer CLI does; see {@link invokeChaincodeLegacy}. */
export async function invokeLegacy(
  legacy: LegacyClient,
  endorsingMsps: string[],
  fcn: string,
  args: string[],
  transientMap?: Record<string, Buffer>,
): Promise<LegacyInvokeResult> {
  return invokeChaincodeLegacy(legacy, {
    chaincode: 'egov',
    endorsers: endorsingMsps,
    fcn,
    args,
    transient: transientMap,
  });
}

/** Queries one ministry's peer with a proposal that is never submitted. */
export async function queryLegacy(
  legacy: LegacyClient,
  mspId: string,
  fcn: string,
  args: string[],
  transientMap?: Record<string, Buffer>,
): Promise<string> {
  const query = legacy.channel.newQuery('egov');
  query.build(legacy.idx, { fcn, args, ...(transientMap ? { transientMap } : {}) });
  query.sign(legacy.idx);
  const endorser = legacy.endorsers.get(mspId);
  if (endorser === undefined) throw new Error(`no endorser for ${mspId}`);
  const results = await query.send({ targets: [endorser], requestTimeout: 30_000 });
  if (results.errors.length > 0) throw results.errors[0];
  const r = results.responses[0];
  if (r.response.status !== 200) throw new Error(`query failed: ${r.response.status} ${r.response.message}`);
  return r.response.payload.toString('utf8');
}
