/**
 * The Gateway service against the real @hyperledger/fabric-gateway client, over gRPC on 127.0.0.1, with fake
 * endorsers, orderer, MSPs, policies and ledger: if the client can endorse, submit, read commit statuses and
 * events, and decode our errors with its own types, the wire contract holds.
 */
import * as crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import {
  connect,
  type Gateway,
  GatewayError,
  hash,
  signers,
  checkpointers,
} from '@hyperledger/fabric-gateway';
import { common, gateway as gatewayProtos, msp, orderer, peer } from '@hyperledger/fabric-protos';
import type {
  BroadcastClient,
  GatewayChannel,
  GatewayDeps,
  GatewayIdentity,
  GatewayPolicy,
  GatewaySignedData,
  ProcessProposalOptions,
  RemoteEndorser,
} from './deps';
import type { GatewayContext } from './context';
import { newGatewayImplementation, registerGatewayService, type GatewayServiceHandle } from './server';

const CHANNEL = 'egov';
const CHAINCODE = 'egov';
const ORGS = ['ImmigrationMSP', 'EducationMSP', 'HealthMSP'];
const LOCAL = 'ImmigrationMSP';

const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const CLIENT_CERT = Buffer.from('client-certificate');

function serializedIdentity(mspId: string, idBytes: Uint8Array): Uint8Array {
  const id = new msp.SerializedIdentity();
  id.setMspid(mspId);
  id.setIdBytes(idBytes);
  return id.serializeBinary();
}

/** Endorsers sign with `sig:<mspId>`; the client with its real P-256 key. */
function fakeMsps() {
  return {
    deserializeIdentity(serialized: Uint8Array) {
      const id = msp.SerializedIdentity.deserializeBinary(serialized);
      const mspId = id.getMspid();
      if (!ORGS.includes(mspId)) throw new Error(`MSP ${mspId} is unknown`);
      const isClient = Buffer.from(id.getIdBytes_asU8()).equals(CLIENT_CERT);
      return {
        mspId,
        id: isClient ? 'client' : mspId,
        verify: (message: Uint8Array, signature: Uint8Array) =>
          isClient
            ? crypto.verify('sha256', message, publicKey, signature)
            : Buffer.from(signature).toString() ===
              `sig:${mspId}:${Buffer.from(message).toString('base64').slice(0, 16)}`,
      };
    },
  };
}

/** Distinct orgs with a valid signature over the data; `n` of them needed (ImplicitMeta MAJORITY of 3 → 2). */
function nOutOfOrgs(n: number, name: string): GatewayPolicy {
  const msps = fakeMsps();
  return {
    evaluate(signedData: GatewaySignedData[]) {
      const orgs = new Set<string>();
      for (const sd of signedData) {
        const id = msps.deserializeIdentity(sd.identity);
        if (id.verify(sd.data, sd.signature)) orgs.add(id.mspId);
      }
      if (orgs.size < n)
        throw new Error(`${name}: ${orgs.size} sub-policies were satisfied, but this policy requires ${n}`);
    },
    evaluateIdentities(identities: GatewayIdentity[]) {
      const orgs = new Set(identities.map((id) => id.mspId));
      if (orgs.size < n)
        throw new Error(`${name}: ${orgs.size} sub-policies were satisfied, but this policy requires ${n}`);
    },
  };
}

function endorserSignature(mspId: string, data: Uint8Array): Uint8Array {
  return Buffer.from(`sig:${mspId}:${Buffer.from(data).toString('base64').slice(0, 16)}`);
}

interface EndorserBehaviour {
  fail?: 'unavailable' | 'chaincode' | 'peer';
  result?: string;
  calls: peer.SignedProposal[];
  /** Whether each call asked to evaluate only (ProcessProposalOptions.evaluateOnly). */
  evaluateOnly?: boolean[];
  /** When set, `start <org>` and `end <org>` are logged around each call, which yields to the event loop. */
  journal?: string[];
  /** Called as each call starts. */
  onStart?: () => void;
}

/** A ProposalResponse as the devnet endorser builds it, signed by `mspId`. */
function proposalResponse(
  mspId: string,
  signed: peer.SignedProposal,
  behaviour: EndorserBehaviour,
): peer.ProposalResponse {
  const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
  const input = peer.ChaincodeInvocationSpec.deserializeBinary(
    peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8()).getInput_asU8(),
  );
  const args = input
    .getChaincodeSpec()!
    .getInput()!
    .getArgsList_asU8()
    .map((a) => Buffer.from(a).toString());
  const chResponse = new peer.Response();
  const failing = behaviour.fail === 'chaincode';
  chResponse.setStatus(failing ? 500 : 200);
  chResponse.setMessage(failing ? 'record does not exist' : '');
  chResponse.setPayload(Buffer.from(failing ? '' : (behaviour.result ?? `result:${args.join(',')}`)));
  const action = new peer.ChaincodeAction();
  action.setResponse(chResponse);
  action.setResults(Buffer.from('rwset'));
  const event = new peer.ChaincodeEvent();
  event.setChaincodeId(CHAINCODE);
  event.setEventName('RecordRegistered');
  event.setTxId(
    common.ChannelHeader.deserializeBinary(
      common.Header.deserializeBinary(proposal.getHeader_asU8()).getChannelHeader_asU8(),
    ).getTxId(),
  );
  action.setEvents(event.serializeBinary());
  const prp = new peer.ProposalResponsePayload();
  prp.setProposalHash(crypto.createHash('sha256').update(signed.getProposalBytes_asU8()).digest());
  prp.setExtension$(action.serializeBinary());
  const response = new peer.ProposalResponse();
  response.setVersion(1);
  response.setResponse(chResponse);
  response.setPayload(prp.serializeBinary());
  if (!failing) {
    const endorser = serializedIdentity(mspId, Buffer.from(`peer0.${mspId}`));
    const endorsement = new peer.Endorsement();
    endorsement.setEndorser(endorser);
    endorsement.setSignature(endorserSignature(mspId, Buffer.concat([response.getPayload_asU8(), endorser])));
    response.setEndorsement(endorsement);
  }
  return response;
}

function fakeEndorser(mspId: string, behaviour: EndorserBehaviour) {
  return {
    async processProposal(
      signed: peer.SignedProposal,
      options?: ProcessProposalOptions,
    ): Promise<peer.ProposalResponse> {
      behaviour.calls.push(signed);
      behaviour.onStart?.();
      (behaviour.evaluateOnly ??= []).push(options?.evaluateOnly === true);
      if (behaviour.journal) {
        behaviour.journal.push(`start ${mspId}`);
        await new Promise((resolve) => setImmediate(resolve));
        behaviour.journal.push(`end ${mspId}`);
      }
      if (behaviour.fail === 'unavailable') {
        throw Object.assign(new Error('14 UNAVAILABLE: connect ECONNREFUSED'), {
          code: grpc.status.UNAVAILABLE,
          details: 'connect ECONNREFUSED',
          metadata: new grpc.Metadata(),
        });
      }
      if (behaviour.fail === 'peer') {
        const response = new peer.ProposalResponse();
        const r = new peer.Response();
        r.setStatus(500);
        r.setMessage(
          'make sure the chaincode egov has been successfully defined on channel egov and try again',
        );
        response.setResponse(r);
        return response;
      }
      const full = proposalResponse(mspId, signed, behaviour);
      if (!options?.evaluateOnly || behaviour.fail === 'chaincode') return full;
      // As the devnet endorser answers an evaluation: the chaincode's Response alone.
      const evaluated = new peer.ProposalResponse();
      evaluated.setVersion(1);
      evaluated.setResponse(full.getResponse());
      return evaluated;
    },
  };
}

/** An in-memory ledger: blocks appended by the fake orderer, listeners notified. */
class FakeChannel implements GatewayChannel {
  readonly blocks: common.Block[] = [];
  private readonly listeners = new Set<(block: common.Block, filter: Uint8Array) => void>();
  private readonly heightWaiters: (() => void)[] = [];
  readonly policies = new Map<string, GatewayPolicy>([
    ['/Channel/Application/Endorsement', nOutOfOrgs(2, 'Endorsement')],
    ['/Channel/Application/Readers', nOutOfOrgs(1, 'Readers')],
  ]);
  readonly bundle = {
    channelId: CHANNEL,
    msps: fakeMsps(),
    policies: { getPolicy: (path: string) => this.policies.get(path) },
    applicationOrgs: ORGS.map((mspId, i) => ({
      mspId,
      anchorPeers: [{ host: `peer0.${mspId}`, port: 7051 + 1000 * i }],
    })),
  };
  readonly store = {
    height: () => this.blocks.length,
    getBlock: async (n: number) => this.blocks[n],
    getTxLocation: async (txId: string) => {
      for (const block of this.blocks) {
        const filter = block.getMetadata()!.getMetadataList_asU8()[
          common.BlockMetadataIndex.TRANSACTIONS_FILTER
        ];
        const index = block
          .getData()!
          .getDataList_asU8()
          .findIndex((env) => txIdOf(env) === txId);
        if (index >= 0)
          return {
            blockNumber: block.getHeader()!.getNumber(),
            txNumber: index,
            validationCode: filter[index],
          };
      }
      return undefined;
    },
    waitForHeight: (height: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (this.blocks.length >= height) resolve();
          else if (signal?.aborted) reject(new Error('aborted'));
          else this.heightWaiters.push(check);
        };
        signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
        check();
      }),
  };
  onCommit(listener: (block: common.Block, filter: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** Commits the envelopes as the next block with the given validation codes. */
  commit(envelopes: Uint8Array[], codes: number[]): void {
    const block = new common.Block();
    const header = new common.BlockHeader();
    header.setNumber(this.blocks.length);
    block.setHeader(header);
    const data = new common.BlockData();
    data.setDataList(envelopes);
    block.setData(data);
    const metadata = new common.BlockMetadata();
    const filter = Uint8Array.from(codes);
    metadata.setMetadataList([
      new Uint8Array(),
      new Uint8Array(),
      filter,
      new Uint8Array(),
      new Uint8Array(),
    ]);
    block.setMetadata(metadata);
    this.blocks.push(block);
    this.heightWaiters.splice(0).forEach((w) => w());
    this.listeners.forEach((l) => l(block, filter));
  }
}

function txIdOf(envelopeBytes: Uint8Array): string {
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8(),
  );
  return common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8()).getTxId();
}

interface Harness {
  gateway: Gateway;
  channel: FakeChannel;
  endorsers: Record<string, EndorserBehaviour>;
  broadcasts: common.Envelope[];
  ordererAnswer: { status: number; info: string; fail?: boolean; commitCode?: number; noCommit?: boolean };
  close(): Promise<void>;
}

async function startHarness(): Promise<Harness> {
  const channel = new FakeChannel();
  const endorsers: Record<string, EndorserBehaviour> = Object.fromEntries(
    ORGS.map((o) => [o, { calls: [] }]),
  );
  const broadcasts: common.Envelope[] = [];
  const ordererAnswer: Harness['ordererAnswer'] = { status: common.Status.SUCCESS, info: '' };
  const ordererClient: BroadcastClient = {
    address: 'orderer.egov.local:7050',
    mspId: 'OrdererMSP',
    async broadcast(envelope) {
      if (ordererAnswer.fail) throw new Error('connection refused');
      broadcasts.push(envelope);
      const response = new orderer.BroadcastResponse();
      response.setStatus(
        ordererAnswer.status as orderer.BroadcastResponse['getStatus'] extends () => infer S ? S : never,
      );
      response.setInfo(ordererAnswer.info);
      if (ordererAnswer.status === common.Status.SUCCESS && !ordererAnswer.noCommit) {
        setTimeout(
          () =>
            channel.commit(
              [envelope.serializeBinary()],
              [ordererAnswer.commitCode ?? peer.TxValidationCode.VALID],
            ),
          20,
        );
      }
      return response;
    },
  };
  const deps: GatewayDeps = {
    localEndorser: fakeEndorser(LOCAL, endorsers[LOCAL]),
    localMspId: LOCAL,
    localAddress: 'peer0.immigration.egov.local:7051',
    getChannel: (id) => (id === CHANNEL ? channel : undefined),
    getChaincodeDefinition: (_ch, name) =>
      name === CHAINCODE
        ? { endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Endorsement' } }
        : undefined,
    newEndorser: (target): RemoteEndorser => ({
      address: `${target.host}:${target.port}`,
      close: () => undefined,
      ...fakeEndorser(target.mspId, endorsers[target.mspId]),
    }),
    orderers: () => [ordererClient],
  };
  const server = new grpc.Server();
  // Other orgs are asked in channel-config order (Education, then Health), so tests can predict who is asked.
  const handle: GatewayServiceHandle = registerGatewayService(server, deps, { order: (items) => [...items] });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const gateway = connect({
    client,
    identity: { mspId: LOCAL, credentials: CLIENT_CERT },
    signer: signers.newPrivateKeySigner(privateKey),
    hash: hash.sha256,
    commitStatusOptions: () => ({ deadline: Date.now() + 5000 }),
  });
  return {
    gateway,
    channel,
    endorsers,
    broadcasts,
    ordererAnswer,
    async close() {
      gateway.close();
      client.close();
      handle.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}

/** A turn counter: one increment per pass of the event loop's check phase, until stopped. */
function countTurns(): { readonly turn: number; stop(): void } {
  let turn = 0;
  let counting = true;
  const tick = (): void => {
    turn++;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get turn() {
      return turn;
    },
    stop: () => (counting = false),
  };
}

function remoteCalls(h: Harness): string[] {
  return ORGS.filter((o) => o !== LOCAL && h.endorsers[o].calls.length > 0);
}

describe('Gateway service with the fabric-gateway client', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const contract = () => h.gateway.getNetwork(CHANNEL).getContract(CHAINCODE);

  test("once the other orgs' peers have endorsed, the orgs a policy still needs are asked in parallel", async () => {
    h.channel.policies.set('/Channel/Application/Endorsement', nOutOfOrgs(3, 'Endorsement'));
    const journal: string[] = [];
    h.endorsers.EducationMSP.journal = journal;
    h.endorsers.HealthMSP.journal = journal;
    // First transaction: the gateway does not know the other peers' identities yet, so one org at a time.
    await contract().submitTransaction('ledger:RegisterRecord', 'rec-seq');
    expect(journal).toEqual(['start EducationMSP', 'end EducationMSP', 'start HealthMSP', 'end HealthMSP']);
    journal.length = 0;
    const endorsed = await contract().submitTransaction('ledger:RegisterRecord', 'rec-par');
    expect(Buffer.from(endorsed).toString()).toBe('result:ledger:RegisterRecord,rec-par');
    expect(journal.slice(0, 2).sort()).toEqual(['start EducationMSP', 'start HealthMSP']);
    expect(parseTransaction(h.broadcasts[1]).endorserOrgs.sort()).toEqual([...ORGS].sort());
  });

  test('a planned org that fails is replaced by the next one (MAJORITY of 3 after Education failed)', async () => {
    await contract().submitTransaction('ledger:RegisterRecord', 'rec-warm'); // learns Education's identity
    await contract().submitTransaction('ledger:RegisterRecord', 'rec-warm2');
    h.endorsers.EducationMSP.fail = 'unavailable';
    const result = await contract().submitTransaction('ledger:RegisterRecord', 'rec-after');
    expect(Buffer.from(result).toString()).toBe('result:ledger:RegisterRecord,rec-after');
    expect(parseTransaction(h.broadcasts[2]).endorserOrgs).toEqual([LOCAL, 'HealthMSP']);
  });

  test('submitTransaction: endorses locally plus one more org (MAJORITY), orders, waits for commit, returns the result', async () => {
    const result = await contract().submitTransaction('ledger:RegisterRecord', 'rec-1');

    expect(Buffer.from(result).toString()).toBe('result:ledger:RegisterRecord,rec-1');
    expect(h.endorsers[LOCAL].calls).toHaveLength(1);
    expect(remoteCalls(h)).toHaveLength(1);
    expect(h.broadcasts).toHaveLength(1);
    const endorsed = parseTransaction(h.broadcasts[0]);
    expect(endorsed.endorserOrgs).toEqual([LOCAL, 'EducationMSP']);
    expect(h.endorsers.HealthMSP.calls).toHaveLength(0);
  });

  test('the prepared transaction is Fabric-shaped, signed by the client, and carries no transient data', async () => {
    const proposal = contract().newProposal('ledger:RegisterRecord', {
      arguments: ['rec-2'],
      transientData: { secret: Buffer.from('do-not-order-me') },
    });
    const transaction = await proposal.endorse();
    const submitted = await transaction.submit();
    expect((await submitted.getStatus()).successful).toBe(true);

    const envelope = h.broadcasts[0];
    const parsed = parseTransaction(envelope);
    const signedProposal = h.endorsers[LOCAL].calls[0];
    const sentProposal = peer.Proposal.deserializeBinary(signedProposal.getProposalBytes_asU8());
    expect(
      peer.ChaincodeProposalPayload.deserializeBinary(sentProposal.getPayload_asU8())
        .getTransientmapMap()
        .getLength(),
    ).toBe(1);
    expect(parsed.cpp.getTransientmapMap().getLength()).toBe(0);
    expect(Buffer.from(parsed.cpp.getInput_asU8())).toEqual(
      Buffer.from(
        peer.ChaincodeProposalPayload.deserializeBinary(sentProposal.getPayload_asU8()).getInput_asU8(),
      ),
    );
    expect(Buffer.from(envelope.serializeBinary()).includes(Buffer.from('do-not-order-me'))).toBe(false);
    expect(Buffer.from(parsed.payload.getHeader()!.serializeBinary())).toEqual(
      Buffer.from(sentProposal.getHeader_asU8()),
    );
    expect(Buffer.from(parsed.actionHeader)).toEqual(
      Buffer.from(common.Header.deserializeBinary(sentProposal.getHeader_asU8()).getSignatureHeader_asU8()),
    );
    expect(crypto.verify('sha256', envelope.getPayload_asU8(), publicKey, envelope.getSignature_asU8())).toBe(
      true,
    );
    expect(Buffer.from(transaction.getResult()).toString()).toBe('result:ledger:RegisterRecord,rec-2');
  });

  test('an unavailable org is skipped: the next org completes the policy, the endorsement only names orgs that endorsed', async () => {
    h.endorsers.EducationMSP.fail = 'unavailable';
    await contract().submitTransaction('ledger:RegisterRecord', 'rec-3');
    const parsed = parseTransaction(h.broadcasts[0]);
    expect(h.endorsers.EducationMSP.calls).toHaveLength(1);
    expect(parsed.endorserOrgs.sort()).toEqual(['HealthMSP', 'ImmigrationMSP']);
  });

  test('endorsement fails with Aborted and per-endorser details when no second org can endorse', async () => {
    h.endorsers.EducationMSP.fail = 'unavailable';
    h.endorsers.HealthMSP.fail = 'peer';
    const err = await contract()
      .submitTransaction('ledger:RegisterRecord', 'rec-4')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    const gatewayError = err as GatewayError;
    expect(gatewayError.name).toBe('EndorseError');
    expect(gatewayError.code).toBe(grpc.status.ABORTED);
    expect(gatewayError.message).toContain(
      'failed to collect enough transaction endorsements, see attached details for more info',
    );
    expect(gatewayError.details.map((d) => d.mspId).sort()).toEqual(['EducationMSP', 'HealthMSP']);
    const education = gatewayError.details.find((d) => d.mspId === 'EducationMSP')!;
    expect(education.address).toBe('peer0.EducationMSP:8051');
    expect(education.message).toBe('rpc error: code = Unavailable desc = connect ECONNREFUSED');
    expect(h.broadcasts).toHaveLength(0);
  });

  test("an unknown chaincode or channel fails as Fabric's gateway does, before any peer is asked", async () => {
    const unknownCc = h.gateway.getNetwork(CHANNEL).getContract('nosuchcc');
    const evaluated = (await unknownCc.evaluateTransaction('f').catch((e: unknown) => e)) as GatewayError;
    expect([evaluated.code, evaluated.message]).toEqual([
      grpc.status.FAILED_PRECONDITION,
      `9 FAILED_PRECONDITION: no peers available to evaluate chaincode nosuchcc in channel ${CHANNEL}`,
    ]);
    const endorsed = (await unknownCc.submitTransaction('f').catch((e: unknown) => e)) as GatewayError;
    expect([endorsed.code, endorsed.message]).toEqual([
      grpc.status.FAILED_PRECONDITION,
      `9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy: No metadata was found for chaincode nosuchcc in channel ${CHANNEL}`,
    ]);
    const named = (await unknownCc
      .submit('f', { endorsingOrganizations: ['EducationMSP'] })
      .catch((e: unknown) => e)) as GatewayError;
    expect([named.code, named.message]).toEqual([
      grpc.status.UNAVAILABLE,
      '14 UNAVAILABLE: failed to find any endorsing peers for org(s): EducationMSP',
    ]);
    const unknownChannel = h.gateway.getNetwork('nosuchchannel').getContract(CHAINCODE);
    const onChannel = (await unknownChannel
      .evaluateTransaction('f')
      .catch((e: unknown) => e)) as GatewayError;
    expect([onChannel.code, onChannel.message]).toEqual([
      grpc.status.UNAVAILABLE,
      '14 UNAVAILABLE: failed to get config for channel [nosuchchannel]: could not get last config for channel nosuchchannel',
    ]);
    expect(h.endorsers[LOCAL].calls).toHaveLength(0);
    expect(remoteCalls(h)).toHaveLength(0);
  });

  test('mismatched ProposalResponsePayloads are rejected like Fabric', async () => {
    h.endorsers.EducationMSP.result = 'different';
    h.endorsers.HealthMSP.result = 'also different';
    const err = (await contract()
      .submitTransaction('ledger:RegisterRecord', 'rec-5')
      .catch((e: unknown) => e)) as GatewayError;
    expect(err.code).toBe(grpc.status.ABORTED);
    expect(err.details.map((d) => d.message)).toEqual([
      'ProposalResponsePayloads do not match',
      'ProposalResponsePayloads do not match',
    ]);
  });

  test('a local endorsement failure ends Endorse with "failed to endorse transaction"', async () => {
    h.endorsers[LOCAL].fail = 'chaincode';
    const err = (await contract()
      .submitTransaction('ledger:RegisterRecord', 'rec-6')
      .catch((e: unknown) => e)) as GatewayError;
    expect(err.code).toBe(grpc.status.ABORTED);
    expect(err.message).toContain('failed to endorse transaction, see attached details for more info');
    expect(err.details).toEqual([
      {
        address: 'peer0.immigration.egov.local:7051',
        mspId: LOCAL,
        message: 'chaincode response 500, record does not exist',
      },
    ]);
    expect(remoteCalls(h)).toHaveLength(0);
  });

  test('endorsingOrganizations: exactly those orgs are asked, none other', async () => {
    await contract().submit('ledger:RegisterRecord', {
      arguments: ['rec-7'],
      endorsingOrganizations: ['EducationMSP', 'HealthMSP'],
    });
    expect(h.endorsers[LOCAL].calls).toHaveLength(0);
    expect(parseTransaction(h.broadcasts[0]).endorserOrgs.sort()).toEqual(['EducationMSP', 'HealthMSP']);
  });

  test('evaluate returns the chaincode result from the local peer only', async () => {
    const result = await contract().evaluateTransaction('ledger:GetRecord', 'rec-1');
    expect(Buffer.from(result).toString()).toBe('result:ledger:GetRecord,rec-1');
    expect(h.endorsers[LOCAL].calls).toHaveLength(1);
    expect(h.endorsers[LOCAL].evaluateOnly).toEqual([true]);
    expect(remoteCalls(h)).toHaveLength(0);
  });

  test('a burst of evaluations starts a few per turn of the event loop, not all in the turn they arrived', async () => {
    const turns = countTurns();
    const startedIn: number[] = [];
    h.endorsers[LOCAL].onStart = () => startedIn.push(turns.turn);
    try {
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) => contract().evaluateTransaction('ledger:GetRecord', `rec-${i}`)),
      );
      expect(results).toHaveLength(24);
    } finally {
      turns.stop();
    }
    const perTurn = new Map<number, number>();
    for (const t of startedIn) perTurn.set(t, (perTurn.get(t) ?? 0) + 1);
    expect(startedIn).toHaveLength(24);
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(6);
    expect(perTurn.size).toBeGreaterThanOrEqual(4);
  });

  test('evaluate: a chaincode error is Unknown "evaluate call to endorser returned error" and not retried', async () => {
    h.endorsers[LOCAL].fail = 'chaincode';
    const err = (await contract()
      .evaluateTransaction('ledger:GetRecord', 'missing')
      .catch((e: unknown) => e)) as GatewayError;
    expect(err.code).toBe(grpc.status.UNKNOWN);
    expect(err.message).toContain(
      'evaluate call to endorser returned error: chaincode response 500, record does not exist',
    );
    expect(err.details).toHaveLength(1);
    expect(remoteCalls(h)).toHaveLength(0);
  });

  test('evaluate: a peer-side failure moves on to another org', async () => {
    h.endorsers[LOCAL].fail = 'peer';
    const result = await contract().evaluateTransaction('ledger:GetRecord', 'rec-1');
    expect(Buffer.from(result).toString()).toBe('result:ledger:GetRecord,rec-1');
    expect(remoteCalls(h)).toHaveLength(1);
  });

  test('evaluate: when every peer fails, "failed to evaluate transaction" with one detail each', async () => {
    h.endorsers[LOCAL].fail = 'peer';
    h.endorsers.EducationMSP.fail = 'unavailable';
    h.endorsers.HealthMSP.fail = 'unavailable';
    const err = (await contract()
      .evaluateTransaction('ledger:GetRecord', 'rec-1')
      .catch((e: unknown) => e)) as GatewayError;
    expect(err.code).toBe(grpc.status.UNAVAILABLE);
    expect(err.message).toContain('failed to evaluate transaction, see attached details for more info');
    expect(err.details.map((d) => d.mspId)).toEqual(ORGS);
    expect(err.details[0].message).toContain('make sure the chaincode egov has been successfully defined');
  });

  test('evaluate: a local endorser that refuses the proposal (failed checks) is FailedPrecondition, not retried', async () => {
    h.endorsers[LOCAL].fail = 'unavailable'; // the local endorser rejects: for it that means "checks failed"
    const err = (await contract()
      .evaluateTransaction('ledger:GetRecord', 'rec-1')
      .catch((e: unknown) => e)) as GatewayError;
    expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(remoteCalls(h)).toHaveLength(0);
  });

  test("submit: a 4xx orderer status is Aborted with Fabric's text", async () => {
    h.ordererAnswer.status = common.Status.BAD_REQUEST;
    h.ordererAnswer.info = 'bad envelope';
    const err = (await contract()
      .submitTransaction('ledger:RegisterRecord', 'rec-8')
      .catch((e: unknown) => e)) as GatewayError;
    expect(err.name).toBe('SubmitError');
    expect(err.code).toBe(grpc.status.ABORTED);
    expect(err.message).toContain(
      'received unsuccessful response from orderer: status=BAD_REQUEST, info=bad envelope',
    );
  });

  test('submit: an unreachable orderer is Unavailable with its detail', async () => {
    h.ordererAnswer.fail = true;
    const err = (await contract()
      .submitTransaction('ledger:RegisterRecord', 'rec-9')
      .catch((e: unknown) => e)) as GatewayError;
    expect(err.code).toBe(grpc.status.UNAVAILABLE);
    expect(err.message).toContain('no orderers could successfully process transaction');
    expect(err.details).toEqual([
      { address: 'orderer.egov.local:7050', mspId: 'OrdererMSP', message: 'connection refused' },
    ]);
  });

  test('commit status reports an invalid transaction; submitTransaction throws CommitError', async () => {
    h.ordererAnswer.commitCode = peer.TxValidationCode.MVCC_READ_CONFLICT;
    const err = (await contract()
      .submitTransaction('ledger:RegisterRecord', 'rec-10')
      .catch((e: unknown) => e)) as Error & { code: number };
    expect(err.name).toBe('CommitError');
    expect(err.code).toBe(peer.TxValidationCode.MVCC_READ_CONFLICT);
  });

  test('commit status of a transaction committed earlier answers at once with its block', async () => {
    const submitted = await contract().submitAsync('ledger:RegisterRecord', { arguments: ['rec-11'] });
    const first = await submitted.getStatus();
    const again = await submitted.getStatus();
    expect(first.successful).toBe(true);
    expect(again.blockNumber).toBe(0n);
  });

  test('commit status is refused (PermissionDenied) when the Readers policy is not satisfied', async () => {
    h.channel.policies.set('/Channel/Application/Readers', nOutOfOrgs(2, 'Readers'));
    const submitted = await contract().submitAsync('ledger:RegisterRecord', { arguments: ['rec-12'] });
    const err = (await submitted.getStatus().catch((e: unknown) => e)) as GatewayError;
    expect(err.name).toBe('CommitStatusError');
    expect(err.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(err.message).toContain(
      'Failed evaluating policy on signed data during check policy on channel [egov] with policy [/Channel/Application/Readers]',
    );
  });

  test('chaincode events: from a block number, valid transactions only, resuming after a checkpointed transaction', async () => {
    await contract().submitTransaction('ledger:RegisterRecord', 'a'); // block 0
    h.ordererAnswer.commitCode = peer.TxValidationCode.MVCC_READ_CONFLICT;
    await contract()
      .submitTransaction('ledger:RegisterRecord', 'b')
      .catch(() => undefined); // block 1, invalid
    h.ordererAnswer.commitCode = peer.TxValidationCode.VALID;
    const c = await contract().submitAsync('ledger:RegisterRecord', { arguments: ['c'] }); // block 2
    await c.getStatus();
    const firstTxId = txIdOf(h.broadcasts[0].serializeBinary());

    const events = await h.gateway.getNetwork(CHANNEL).getChaincodeEvents(CHAINCODE, { startBlock: 0n });
    const seen: { block: bigint; txId: string }[] = [];
    for await (const event of events) {
      seen.push({ block: event.blockNumber, txId: event.transactionId });
      if (seen.length === 2) break;
    }
    events.close();
    expect(seen).toEqual([
      { block: 0n, txId: firstTxId },
      { block: 2n, txId: c.getTransactionId() },
    ]);

    const checkpointer = checkpointers.inMemory();
    await checkpointer.checkpointTransaction(0n, firstTxId);
    const resumed = await h.gateway
      .getNetwork(CHANNEL)
      .getChaincodeEvents(CHAINCODE, { checkpoint: checkpointer });
    const iterator = resumed[Symbol.asyncIterator]();
    const next = await iterator.next();
    resumed.close();
    expect(next.value.transactionId).toBe(c.getTransactionId());
    expect(next.value.eventName).toBe('RecordRegistered');
  });
});

/** The walk fabric-gateway's transactionparser and Fabric's validator make over a transaction envelope. */
function parseTransaction(envelope: common.Envelope) {
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8());
  const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
  expect(tx.getActionsList()).toHaveLength(1);
  const action = tx.getActionsList()[0];
  const cap = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const endorsed = cap.getAction()!;
  const prp = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
  const chaincodeAction = peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
  expect(chaincodeAction.getResponse()!.getStatus()).toBe(200);
  expect(channelHeader.getChannelId()).toBe(CHANNEL);
  expect(channelHeader.getType()).toBe(common.HeaderType.ENDORSER_TRANSACTION);
  return {
    payload,
    actionHeader: action.getHeader_asU8(),
    cpp: peer.ChaincodeProposalPayload.deserializeBinary(cap.getChaincodeProposalPayload_asU8()),
    endorserOrgs: endorsed
      .getEndorsementsList()
      .map((e) => msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid()),
  };
}

/** A transaction envelope that carries only its channel header (all a commit status reads of it). */
function envelopeOf(txId: string): Uint8Array {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId(CHANNEL);
  channelHeader.setTxId(txId);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope.serializeBinary();
}

/** A signed CommitStatus request for `txId`, as the client's identity. */
function commitStatusRequest(txId: string): gatewayProtos.SignedCommitStatusRequest {
  const request = new gatewayProtos.CommitStatusRequest();
  request.setChannelId(CHANNEL);
  request.setTransactionId(txId);
  request.setIdentity(serializedIdentity(LOCAL, CLIENT_CERT));
  const signed = new gatewayProtos.SignedCommitStatusRequest();
  signed.setRequest(request.serializeBinary());
  signed.setSignature(crypto.sign('sha256', request.serializeBinary(), privateKey));
  return signed;
}

/** Waits on CommitStatus for each tx id, commits them as one block, and answers the turn of the event loop each answer came in. */
async function answerTurns(txIds: string[]): Promise<{ txId: string; turn: number; block: number }[]> {
  const channel = new FakeChannel();
  const ctx = { deps: { getChannel: () => channel } } as unknown as GatewayContext;
  const service = newGatewayImplementation(ctx);
  const turns = countTurns();
  const answers = txIds.map(
    (txId) =>
      new Promise<{ txId: string; turn: number; block: number }>((resolve, reject) => {
        const call = Object.assign(new EventEmitter(), {
          request: commitStatusRequest(txId),
          getDeadline: () => Infinity,
        });
        service.commitStatus(
          call as unknown as grpc.ServerUnaryCall<
            gatewayProtos.SignedCommitStatusRequest,
            gatewayProtos.CommitStatusResponse
          >,
          (err, response) =>
            err ? reject(err) : resolve({ txId, turn: turns.turn, block: response!.getBlockNumber() }),
        );
      }),
  );
  // Each call listens for commits from its first synchronous step, so the block may commit at once.
  channel.commit(
    txIds.map(envelopeOf),
    txIds.map(() => peer.TxValidationCode.VALID),
  );
  return Promise.all(answers).finally(() => turns.stop());
}

describe('CommitStatus answers', () => {
  test('the statuses one block wakes are answered one per turn of the event loop, in block order', async () => {
    const txIds = ['tx-a', 'tx-b', 'tx-c', 'tx-d'];
    const answered = await answerTurns(txIds);
    expect(answered.map((a) => a.block)).toEqual([0, 0, 0, 0]);
    const order = [...answered].sort((a, b) => a.turn - b.turn);
    expect(order.map((a) => a.txId)).toEqual(txIds);
    for (let i = 1; i < order.length; i++) expect(order[i].turn).toBeGreaterThan(order[i - 1].turn);
  });

  test('more than 16 statuses woken by one block are answered in one turn', async () => {
    const answered = await answerTurns(Array.from({ length: 17 }, (_, i) => `tx-${i}`));
    expect(new Set(answered.map((a) => a.turn)).size).toBe(1);
  });
});
