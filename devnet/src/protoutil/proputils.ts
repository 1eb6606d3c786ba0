import { common, peer } from '@hyperledger/fabric-protos';
import { sha256 } from './blockutils';
import type { Signer } from './signer';
import { nowTimestamp } from './timestamp';
import { computeTxId, newNonce } from './txid';
import {
  unmarshalChaincodeHeaderExtension,
  unmarshalChaincodeInvocationSpec,
  unmarshalChaincodeProposalPayload,
  unmarshalChannelHeader,
  unmarshalHeader,
  unmarshalProposal,
  unmarshalSignatureHeader,
} from './unmarshalers';

/** A signed proposal opened into every part the endorser needs (fabric core/endorser UnpackedProposal). */
export interface UnpackedProposal {
  signedProposal: peer.SignedProposal;
  proposal: peer.Proposal;
  header: common.Header;
  channelHeader: common.ChannelHeader;
  signatureHeader: common.SignatureHeader;
  chaincodeHeaderExtension: peer.ChaincodeHeaderExtension;
  /** Includes the transient map (never let it reach a transaction, log or ledger). */
  chaincodeProposalPayload: peer.ChaincodeProposalPayload;
  chaincodeInvocationSpec: peer.ChaincodeInvocationSpec;
  chaincodeName: string;
  input: peer.ChaincodeInput;
  /** Fabric's proposal hash (GetProposalHash1): goes into ProposalResponsePayload.proposal_hash. */
  proposalHash: Uint8Array;
}

/** Opens a SignedProposal like fabric's UnpackProposal, with the same error checks. */
export function unpackProposal(signedProposal: peer.SignedProposal): UnpackedProposal {
  const proposal = unmarshalProposal(signedProposal.getProposalBytes_asU8());
  const header = unmarshalHeader(proposal.getHeader_asU8());
  const channelHeader = unmarshalChannelHeader(header.getChannelHeader_asU8());
  const signatureHeader = unmarshalSignatureHeader(header.getSignatureHeader_asU8());
  const chaincodeHeaderExtension = unmarshalChaincodeHeaderExtension(channelHeader.getExtension_asU8());
  const ccId = chaincodeHeaderExtension.getChaincodeId();
  if (!ccId) throw new Error('ChaincodeHeaderExtension.ChaincodeId is nil');
  if (ccId.getName() === '') throw new Error('ChaincodeHeaderExtension.ChaincodeId.Name is empty');
  const chaincodeProposalPayload = unmarshalChaincodeProposalPayload(proposal.getPayload_asU8());
  const chaincodeInvocationSpec = unmarshalChaincodeInvocationSpec(chaincodeProposalPayload.getInput_asU8());
  const spec = chaincodeInvocationSpec.getChaincodeSpec();
  if (!spec) throw new Error('chaincode invocation spec did not contain chaincode spec');
  const input = spec.getInput();
  if (!input) throw new Error('chaincode input did not contain any input');
  return {
    signedProposal,
    proposal,
    header,
    channelHeader,
    signatureHeader,
    chaincodeHeaderExtension,
    chaincodeProposalPayload,
    chaincodeInvocationSpec,
    chaincodeName: ccId.getName(),
    input,
    proposalHash: proposalHashFromParts(header, chaincodeProposalPayload.getInput_asU8()),
  };
}

/**
 * The ChaincodeProposalPayload bytes that go into a transaction: re-marshalled with only `input`,
 * dropping the transient map (fabric GetBytesProposalPayloadForTx).
 */
export function getBytesProposalPayloadForTx(payload: peer.ChaincodeProposalPayload): Uint8Array {
  const noTransient = new peer.ChaincodeProposalPayload();
  noTransient.setInput(payload.getInput_asU8());
  return noTransient.serializeBinary();
}

function proposalHashFromParts(header: common.Header, cppInput: Uint8Array): Uint8Array {
  const noTransient = new peer.ChaincodeProposalPayload();
  noTransient.setInput(cppInput);
  return sha256(
    header.getChannelHeader_asU8(),
    header.getSignatureHeader_asU8(),
    noTransient.serializeBinary(),
  );
}

/**
 * Fabric's GetProposalHash1: SHA-256(channel header bytes ‖ signature header bytes ‖
 * ChaincodeProposalPayload re-marshalled without the transient map). Takes the Proposal.
 */
export function getProposalHash(proposal: peer.Proposal): Uint8Array {
  return getProposalHash1(unmarshalHeader(proposal.getHeader_asU8()), proposal.getPayload_asU8());
}

/** Fabric's GetProposalHash1 over a header and the raw ChaincodeProposalPayload bytes. */
export function getProposalHash1(header: common.Header, ccPropPayload: Uint8Array): Uint8Array {
  const cpp = unmarshalChaincodeProposalPayload(ccPropPayload);
  return proposalHashFromParts(header, cpp.getInput_asU8());
}

/**
 * Fabric's GetProposalHash2 (the committer's form): SHA-256(channel header ‖ signature header ‖
 * the payload bytes as given, which in a transaction already lack the transient map).
 */
export function getProposalHash2(header: common.Header, ccPropPayloadBytes: Uint8Array): Uint8Array {
  return sha256(header.getChannelHeader_asU8(), header.getSignatureHeader_asU8(), ccPropPayloadBytes);
}

/** What a chaincode execution produced, for a proposal response. */
export interface ChaincodeResult {
  response: peer.Response;
  /** Serialized rwset.TxReadWriteSet. */
  results: Uint8Array;
  /** Serialized peer.ChaincodeEvent, or empty. */
  events?: Uint8Array;
  chaincodeId: peer.ChaincodeID;
}

/** ProposalResponsePayload bytes { proposal_hash, extension = ChaincodeAction } (fabric GetBytesProposalResponsePayload). */
export function getBytesProposalResponsePayload(
  proposalHash: Uint8Array,
  result: ChaincodeResult,
): Uint8Array {
  const action = new peer.ChaincodeAction();
  action.setResults(result.results);
  if (result.events && result.events.length > 0) action.setEvents(result.events);
  action.setResponse(result.response);
  action.setChaincodeId(result.chaincodeId);
  const prp = new peer.ProposalResponsePayload();
  prp.setProposalHash(proposalHash);
  prp.setExtension$(action.serializeBinary());
  return prp.serializeBinary();
}

/**
 * An endorsed ProposalResponse as fabric protoutil.CreateProposalResponse builds it: the endorser
 * signs `payload ‖ endorser` and the outer response is {200, "OK"} (the chaincode's own response
 * sits inside the payload's ChaincodeAction). The 2.x endorser uses {@link endorseProposalResponse}.
 */
export function createProposalResponse(
  proposalHeaderBytes: Uint8Array,
  proposalPayloadBytes: Uint8Array,
  result: ChaincodeResult,
  endorser: Signer,
): peer.ProposalResponse {
  const hash = getProposalHash1(unmarshalHeader(proposalHeaderBytes), proposalPayloadBytes);
  const prpBytes = getBytesProposalResponsePayload(hash, result);
  const endorserBytes = endorser.serialize();
  const endorsement = new peer.Endorsement();
  endorsement.setEndorser(endorserBytes);
  endorsement.setSignature(endorser.sign(Buffer.concat([prpBytes, endorserBytes])));
  const response = new peer.Response();
  response.setStatus(200);
  response.setMessage('OK');
  const pr = new peer.ProposalResponse();
  pr.setVersion(1);
  pr.setEndorsement(endorsement);
  pr.setPayload(prpBytes);
  pr.setResponse(response);
  return pr;
}

/**
 * The ProposalResponse a Fabric 2.x endorser returns after a successful simulation (fabric
 * core/endorser/endorser.go with the default ESCC): payload = ProposalResponsePayload over the
 * unpacked proposal's hash, endorsement = signature over `payload ‖ endorser`, and response = the
 * chaincode's own response (not a fixed 200/OK). Put the chaincode version in `chaincodeId`.
 */
export function endorseProposalResponse(
  proposalHash: Uint8Array,
  result: ChaincodeResult,
  endorser: Signer,
): peer.ProposalResponse {
  const prpBytes = getBytesProposalResponsePayload(proposalHash, result);
  const endorserBytes = endorser.serialize();
  const endorsement = new peer.Endorsement();
  endorsement.setEndorser(endorserBytes);
  endorsement.setSignature(endorser.sign(Buffer.concat([prpBytes, endorserBytes])));
  const pr = new peer.ProposalResponse();
  pr.setVersion(1);
  pr.setEndorsement(endorsement);
  pr.setPayload(prpBytes);
  pr.setResponse(result.response);
  return pr;
}

/**
 * An unendorsed ProposalResponse carrying the chaincode's failure response (fabric
 * CreateProposalResponseFailure).
 */
export function createProposalResponseFailure(
  proposalHeaderBytes: Uint8Array,
  proposalPayloadBytes: Uint8Array,
  response: peer.Response,
  results: Uint8Array,
  events: Uint8Array | undefined,
  chaincodeName: string,
): peer.ProposalResponse {
  const hash = getProposalHash1(unmarshalHeader(proposalHeaderBytes), proposalPayloadBytes);
  const ccId = new peer.ChaincodeID();
  ccId.setName(chaincodeName);
  const pr = new peer.ProposalResponse();
  pr.setPayload(getBytesProposalResponsePayload(hash, { response, results, events, chaincodeId: ccId }));
  pr.setResponse(response);
  return pr;
}

/** Options for {@link createChaincodeProposal}. */
export interface ChaincodeProposalOptions {
  channelId: string;
  chaincodeName: string;
  /** args[0] is the function name, as the SDKs send it. */
  args: Uint8Array[];
  creator: Uint8Array;
  transientMap?: Map<string, Uint8Array>;
  nonce?: Uint8Array;
  /** A common.HeaderType value; ENDORSER_TRANSACTION by default. */
  type?: number;
}

/**
 * A chaincode proposal as Fabric's SDKs build it (fabric CreateChaincodeProposalWithTxIDNonceAndTransient),
 * with txId = SHA-256(nonce ‖ creator). For tests and tools; real clients build their own.
 */
export function createChaincodeProposal(opts: ChaincodeProposalOptions): {
  proposal: peer.Proposal;
  txId: string;
} {
  const nonce = opts.nonce ?? newNonce();
  const txId = computeTxId(nonce, opts.creator);
  const ccId = new peer.ChaincodeID();
  ccId.setName(opts.chaincodeName);
  const input = new peer.ChaincodeInput();
  input.setArgsList(opts.args);
  const spec = new peer.ChaincodeSpec();
  spec.setType(peer.ChaincodeSpec.Type.NODE);
  spec.setChaincodeId(ccId);
  spec.setInput(input);
  const cis = new peer.ChaincodeInvocationSpec();
  cis.setChaincodeSpec(spec);
  const cpp = new peer.ChaincodeProposalPayload();
  cpp.setInput(cis.serializeBinary());
  for (const [k, v] of opts.transientMap ?? []) cpp.getTransientmapMap().set(k, v);
  const ext = new peer.ChaincodeHeaderExtension();
  ext.setChaincodeId(ccId);
  const chdr = new common.ChannelHeader();
  chdr.setType(opts.type ?? common.HeaderType.ENDORSER_TRANSACTION);
  chdr.setTxId(txId);
  chdr.setTimestamp(nowTimestamp());
  chdr.setChannelId(opts.channelId);
  chdr.setExtension$(ext.serializeBinary());
  const shdr = new common.SignatureHeader();
  shdr.setNonce(nonce);
  shdr.setCreator(opts.creator);
  const header = new common.Header();
  header.setChannelHeader(chdr.serializeBinary());
  header.setSignatureHeader(shdr.serializeBinary());
  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  proposal.setPayload(cpp.serializeBinary());
  return { proposal, txId };
}

/** Signs the proposal bytes (fabric GetSignedProposal). */
export function signProposal(proposal: peer.Proposal, signer: Signer): peer.SignedProposal {
  const bytes = proposal.serializeBinary();
  const sp = new peer.SignedProposal();
  sp.setProposalBytes(bytes);
  sp.setSignature(signer.sign(bytes));
  return sp;
}
