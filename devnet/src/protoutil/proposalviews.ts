/**
 * Light read-only views of a client's proposal (Proposal, ChaincodeProposalPayload,
 * ChaincodeInvocationSpec, ChaincodeSpec), decoded straight from the wire as views.ts decodes the
 * transaction messages, and under the same rules: Fabric's field numbers (peer/proposal.proto,
 * peer/chaincode.proto), unknown fields and fields of another wire type skipped, a singular message
 * field sent twice merged, bytes fields subarrays of the input (never re-encode a view), malformed
 * input throws. The gateway reads what it routes on and what it copies into the transaction; the endorser
 * what it checks and hashes.
 */
import { merge, readChaincodeId, WireReader, type ChaincodeIdView } from './views';

const EMPTY: Uint8Array = new Uint8Array(0);
/** The tag of length-delimited field `n` (wire type 2). */
const BYTES_FIELD = (n: number): number => (n << 3) | 2;

/** peer.Proposal (peer/proposal.proto). */
export interface ProposalView {
  /** 1: the marshalled common.Header. */
  readonly header: Uint8Array;
  /** 2: the marshalled ChaincodeProposalPayload. */
  readonly payload: Uint8Array;
}

/** Reads a peer.Proposal. */
export function readProposal(bytes: Uint8Array): ProposalView {
  const r = new WireReader(bytes);
  let header = EMPTY;
  let payload = EMPTY;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === BYTES_FIELD(1)) header = r.bytes();
    else if (tag === BYTES_FIELD(2)) payload = r.bytes();
    else r.skip(tag & 7, tag >>> 3);
  }
  return { header, payload };
}

/** peer.ChaincodeProposalPayload (peer/proposal.proto). */
export interface ChaincodeProposalPayloadView {
  /** 1: the marshalled ChaincodeInvocationSpec. */
  readonly input: Uint8Array;
  /** 2: how many TransientMap entries the payload carries (their contents are not read). */
  readonly transientEntries: number;
}

/** Reads a peer.ChaincodeProposalPayload. */
export function readChaincodeProposalPayload(bytes: Uint8Array): ChaincodeProposalPayloadView {
  const r = new WireReader(bytes);
  let input = EMPTY;
  let transientEntries = 0;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === BYTES_FIELD(1)) input = r.bytes();
    else if (tag === BYTES_FIELD(2)) {
      r.bytes();
      transientEntries++;
    } else r.skip(tag & 7, tag >>> 3);
  }
  return { input, transientEntries };
}

/** peer.ChaincodeSpec (peer/chaincode.proto), the fields the gateway and the endorser read. */
export interface ChaincodeSpecView {
  /** 2: undefined when absent. */
  readonly chaincodeId: ChaincodeIdView | undefined;
  /** 3: the marshalled ChaincodeInput, undefined when absent. */
  readonly input: Uint8Array | undefined;
}

/** Reads a peer.ChaincodeSpec. */
export function readChaincodeSpec(bytes: Uint8Array): ChaincodeSpecView {
  const r = new WireReader(bytes);
  let chaincodeId: Uint8Array | undefined;
  let input: Uint8Array | undefined;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === BYTES_FIELD(2)) chaincodeId = merge(chaincodeId, r.bytes());
    else if (tag === BYTES_FIELD(3)) input = merge(input, r.bytes());
    else r.skip(tag & 7, tag >>> 3);
  }
  return { chaincodeId: chaincodeId === undefined ? undefined : readChaincodeId(chaincodeId), input };
}

/** peer.ChaincodeInvocationSpec (peer/chaincode.proto). */
export interface ChaincodeInvocationSpecView {
  /** 1: undefined when absent. */
  readonly chaincodeSpec: ChaincodeSpecView | undefined;
}

/** Reads a peer.ChaincodeInvocationSpec. */
export function readChaincodeInvocationSpec(bytes: Uint8Array): ChaincodeInvocationSpecView {
  const r = new WireReader(bytes);
  let spec: Uint8Array | undefined;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === BYTES_FIELD(1)) spec = merge(spec, r.bytes());
    else r.skip(tag & 7, tag >>> 3);
  }
  return { chaincodeSpec: spec === undefined ? undefined : readChaincodeSpec(spec) };
}
