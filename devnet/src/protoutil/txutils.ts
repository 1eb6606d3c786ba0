import { common, peer } from '@hyperledger/fabric-protos';
import type { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { getBytesProposalPayloadForTx } from './proputils';
import type { Signer } from './signer';
import { nowTimestamp } from './timestamp';
import { newNonce } from './txid';
import { unmarshalChaincodeProposalPayload, unmarshalHeader, unmarshalSignatureHeader } from './unmarshalers';

/** Fields of a channel header (fabric MakeChannelHeader). */
export interface ChannelHeaderFields {
  /** A common.HeaderType value. */
  type: number;
  channelId: string;
  version?: number;
  epoch?: number;
  txId?: string;
  timestamp?: Timestamp;
  tlsCertHash?: Uint8Array;
  extension?: Uint8Array;
}

/** A ChannelHeader with a current timestamp unless one is given (fabric MakeChannelHeader). */
export function makeChannelHeader(f: ChannelHeaderFields): common.ChannelHeader {
  const chdr = new common.ChannelHeader();
  chdr.setType(f.type);
  chdr.setVersion(f.version ?? 0);
  chdr.setChannelId(f.channelId);
  chdr.setEpoch(f.epoch ?? 0);
  chdr.setTimestamp(f.timestamp ?? nowTimestamp());
  if (f.txId) chdr.setTxId(f.txId);
  if (f.tlsCertHash) chdr.setTlsCertHash(f.tlsCertHash);
  if (f.extension) chdr.setExtension$(f.extension);
  return chdr;
}

/** A SignatureHeader for `signer` with a fresh nonce (fabric NewSignatureHeader). */
export function makeSignatureHeader(signer: Signer, nonce: Uint8Array = newNonce()): common.SignatureHeader {
  const shdr = new common.SignatureHeader();
  shdr.setCreator(signer.serialize());
  shdr.setNonce(nonce);
  return shdr;
}

/** A Header from a channel header and a signature header (fabric MakePayloadHeader). */
export function makePayloadHeader(chdr: common.ChannelHeader, shdr: common.SignatureHeader): common.Header {
  const header = new common.Header();
  header.setChannelHeader(chdr.serializeBinary());
  header.setSignatureHeader(shdr.serializeBinary());
  return header;
}

/** Anything with `serializeBinary()`: a generated protobuf message. */
export interface Marshalable {
  serializeBinary(): Uint8Array;
}

/** Options for {@link createSignedEnvelope}. */
export interface SignedEnvelopeOptions {
  /** A common.HeaderType value (CONFIG_UPDATE, DELIVER_SEEK_INFO, ...). */
  type: number;
  channelId: string;
  /** Without a signer the envelope has an empty signature header and no signature. */
  signer?: Signer;
  /** The payload data: a message (marshalled here) or bytes. */
  data: Marshalable | Uint8Array;
  msgVersion?: number;
  epoch?: number;
  tlsCertHash?: Uint8Array;
  txId?: string;
}

/** A signed envelope of the given type (fabric CreateSignedEnvelopeWithTLSBinding). */
export function createSignedEnvelope(opts: SignedEnvelopeOptions): common.Envelope {
  const chdr = makeChannelHeader({
    type: opts.type,
    channelId: opts.channelId,
    version: opts.msgVersion,
    epoch: opts.epoch,
    tlsCertHash: opts.tlsCertHash,
    txId: opts.txId,
  });
  const shdr = opts.signer ? makeSignatureHeader(opts.signer) : new common.SignatureHeader();
  const payload = new common.Payload();
  payload.setHeader(makePayloadHeader(chdr, shdr));
  payload.setData(opts.data instanceof Uint8Array ? opts.data : opts.data.serializeBinary());
  const payloadBytes = payload.serializeBinary();
  const envelope = new common.Envelope();
  envelope.setPayload(payloadBytes);
  if (opts.signer) envelope.setSignature(opts.signer.sign(payloadBytes));
  return envelope;
}

/**
 * Assembles an endorser transaction from a proposal and its endorsements, signed by the
 * proposal's creator (fabric CreateSignedTx): responses must be 2xx/3xx with byte-identical
 * payloads; endorsements are deduplicated by endorser; the transient map is stripped.
 */
export function createSignedTx(
  proposal: peer.Proposal,
  signer: Signer,
  responses: peer.ProposalResponse[],
): common.Envelope {
  if (responses.length === 0) throw new Error('at least one proposal response is required');
  const header = unmarshalHeader(proposal.getHeader_asU8());
  const cpp = unmarshalChaincodeProposalPayload(proposal.getPayload_asU8());
  const shdr = unmarshalSignatureHeader(header.getSignatureHeader_asU8());
  if (!Buffer.from(signer.serialize()).equals(Buffer.from(shdr.getCreator_asU8()))) {
    throw new Error('signer must be the same as the one referenced in the header');
  }
  const first = Buffer.from(responses[0].getPayload_asU8());
  for (const r of responses) {
    const status = r.getResponse()?.getStatus() ?? 0;
    if (status < 200 || status >= 400) {
      throw new Error(
        `proposal response was not successful, error code ${status}, msg ${r.getResponse()?.getMessage()}`,
      );
    }
    if (!first.equals(Buffer.from(r.getPayload_asU8())))
      throw new Error('ProposalResponsePayloads do not match');
  }
  const seen = new Set<string>();
  const endorsements: peer.Endorsement[] = [];
  for (const r of responses) {
    const e = r.getEndorsement();
    if (!e) continue;
    const key = Buffer.from(e.getEndorser_asU8()).toString('base64');
    if (seen.has(key)) continue;
    seen.add(key);
    endorsements.push(e);
  }
  if (endorsements.length === 0) throw new Error('no endorsements');
  const cea = new peer.ChaincodeEndorsedAction();
  cea.setProposalResponsePayload(first);
  cea.setEndorsementsList(endorsements);
  const cap = new peer.ChaincodeActionPayload();
  cap.setChaincodeProposalPayload(getBytesProposalPayloadForTx(cpp));
  cap.setAction(cea);
  const action = new peer.TransactionAction();
  action.setHeader(header.getSignatureHeader_asU8());
  action.setPayload(cap.serializeBinary());
  const tx = new peer.Transaction();
  tx.setActionsList([action]);
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(tx.serializeBinary());
  const payloadBytes = payload.serializeBinary();
  const envelope = new common.Envelope();
  envelope.setPayload(payloadBytes);
  envelope.setSignature(signer.sign(payloadBytes));
  return envelope;
}
