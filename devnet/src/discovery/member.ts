import { createHash } from 'node:crypto';
import { gossip, msp as mspProto } from '@hyperledger/fabric-protos';

/** A chaincode a peer advertises: defined on the channel, approved by its org and installed there. */
export interface AdvertisedChaincode {
  name: string;
  /** The definition's sequence, as Fabric's lifecycle reports it to discovery. */
  version: string;
}

/**
 * One peer as discovery sees it (fabric gossip discovery.NetworkMember with its state info): its
 * advertised endpoint, its serialized identity, and the envelopes it signed itself (alive message,
 * and for a channel its state info: ledger height and chaincodes).
 */
export interface NetworkMember {
  pkiId: Buffer;
  mspId: string;
  endpoint: string;
  identity: Uint8Array;
  alive: gossip.Envelope;
  stateInfo?: gossip.Envelope;
  ledgerHeight: number;
  chaincodes: AdvertisedChaincode[];
}

/** What signs a peer's envelopes: its serialized identity and key. */
export interface MemberSigner {
  readonly mspId: string;
  serialize(): Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** Fabric's PKI-ID of a peer identity: SHA-256 of the MSP id followed by the certificate bytes (GetPKIidOfCert). */
export function pkiIdOf(serializedIdentity: Uint8Array): Buffer {
  const sid = mspProto.SerializedIdentity.deserializeBinary(serializedIdentity);
  return createHash('sha256')
    .update(Buffer.from(sid.getMspid()))
    .update(Buffer.from(sid.getIdBytes_asU8()))
    .digest();
}

function signed(signer: MemberSigner, message: gossip.GossipMessage): gossip.Envelope {
  const payload = message.serializeBinary();
  const envelope = new gossip.Envelope();
  envelope.setPayload(payload);
  envelope.setSignature(signer.sign(payload));
  return envelope;
}

function peerTime(incNum: number, seqNum: number): gossip.PeerTime {
  const t = new gossip.PeerTime();
  t.setIncNum(incNum);
  t.setSeqNum(seqNum);
  return t;
}

/** What a peer states about itself: endpoint, start time (gossip incarnation), channel height and chaincodes. */
export interface MemberState {
  endpoint: string;
  /** The peer's incarnation number (its start time in ns, as gossip uses). */
  incNum: number;
  /** Grows with every message the peer signs. */
  seqNum: number;
  channel?: { id: string; ledgerHeight: number; chaincodes: AdvertisedChaincode[] };
}

/**
 * The peer's own alive message and, for a channel, its state info, signed with its key (fabric
 * gossip AliveMessage and StateInfo in their signed envelopes). The channel MAC is SHA-256 of the
 * PKI-ID and the channel name, as gossip computes it.
 */
export function selfMember(signer: MemberSigner, state: MemberState): NetworkMember {
  const identity = signer.serialize();
  const pkiId = pkiIdOf(identity);
  const member = new gossip.Member();
  member.setEndpoint(state.endpoint);
  member.setPkiId(pkiId);
  const alive = new gossip.AliveMessage();
  alive.setMembership(member);
  alive.setTimestamp(peerTime(state.incNum, state.seqNum));
  const aliveMsg = new gossip.GossipMessage();
  aliveMsg.setTag(gossip.GossipMessage.Tag.EMPTY);
  aliveMsg.setAliveMsg(alive);
  const result: NetworkMember = {
    pkiId,
    mspId: signer.mspId,
    endpoint: state.endpoint,
    identity,
    alive: signed(signer, aliveMsg),
    ledgerHeight: state.channel?.ledgerHeight ?? 0,
    chaincodes: state.channel?.chaincodes ?? [],
  };
  if (state.channel) {
    const properties = new gossip.Properties();
    properties.setLedgerHeight(state.channel.ledgerHeight);
    properties.setLeftChannel(false);
    properties.setChaincodesList(
      state.channel.chaincodes.map((c) => {
        const cc = new gossip.Chaincode();
        cc.setName(c.name);
        cc.setVersion(c.version);
        return cc;
      }),
    );
    const info = new gossip.StateInfo();
    info.setTimestamp(peerTime(state.incNum, state.seqNum));
    info.setPkiId(pkiId);
    info.setChannelMac(createHash('sha256').update(pkiId).update(Buffer.from(state.channel.id)).digest());
    info.setProperties(properties);
    const infoMsg = new gossip.GossipMessage();
    infoMsg.setTag(gossip.GossipMessage.Tag.CHAN_OR_ORG);
    infoMsg.setStateInfo(info);
    result.stateInfo = signed(signer, infoMsg);
  }
  return result;
}

/**
 * The envelope without its signature: how gossip hands out a peer's own membership info
 * (discovery Self() wraps the alive message with NoopSign), so a peer's own entry in discovery
 * answers carries an unsigned alive message, unlike the ones other peers signed.
 */
export function noopSigned(envelope: gossip.Envelope): gossip.Envelope {
  const out = new gossip.Envelope();
  out.setPayload(envelope.getPayload_asU8());
  return out;
}

/** A peer's identity checker: throws unless the serialized identity is a valid peer of the channel. */
export interface PeerIdentityVerifier {
  (identity: Uint8Array): { mspId: string; verify(message: Uint8Array, signature: Uint8Array): boolean };
}

/**
 * Reads a member another peer sent about itself, checking what gossip checks: the identity is valid
 * on the channel, both envelopes carry its signature, the alive message names its PKI-ID, and the
 * state info is for `channelId`. Throws naming what failed.
 */
export function verifiedMember(
  parts: { identity: Uint8Array; alive: gossip.Envelope; stateInfo?: gossip.Envelope },
  channelId: string,
  deserialize: PeerIdentityVerifier,
): NetworkMember {
  const id = deserialize(parts.identity);
  const pkiId = pkiIdOf(parts.identity);
  const check = (what: string, env: gossip.Envelope): gossip.GossipMessage => {
    if (!id.verify(env.getPayload_asU8(), env.getSignature_asU8()))
      throw new Error(`the ${what} message is not signed by the peer's identity`);
    return gossip.GossipMessage.deserializeBinary(env.getPayload_asU8());
  };
  const membership = check('alive', parts.alive).getAliveMsg()?.getMembership();
  if (!membership || !Buffer.from(membership.getPkiId_asU8()).equals(pkiId))
    throw new Error('the alive message does not name the peer');
  const member: NetworkMember = {
    pkiId,
    mspId: id.mspId,
    endpoint: membership.getEndpoint(),
    identity: parts.identity,
    alive: parts.alive,
    ledgerHeight: 0,
    chaincodes: [],
  };
  if (parts.stateInfo) {
    const info = check('state info', parts.stateInfo).getStateInfo();
    const mac = createHash('sha256').update(pkiId).update(Buffer.from(channelId)).digest();
    if (!info || !Buffer.from(info.getChannelMac_asU8()).equals(mac))
      throw new Error(`the state info is not for channel ${channelId}`);
    const props = info.getProperties();
    member.stateInfo = parts.stateInfo;
    member.ledgerHeight = props?.getLedgerHeight() ?? 0;
    member.chaincodes = (props?.getChaincodesList() ?? []).map((c) => ({
      name: c.getName(),
      version: c.getVersion(),
    }));
  }
  return member;
}
