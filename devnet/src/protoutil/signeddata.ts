import { common, type peer } from '@hyperledger/fabric-protos';

/**
 * One signature to check against a policy: `signature` by `identity` (a serialized
 * msp.SerializedIdentity) over `data` (fabric protoutil/signeddata.go).
 */
export interface SignedData {
  data: Uint8Array;
  identity: Uint8Array;
  signature: Uint8Array;
}

/** One SignedData object per signed proposal, so checks of the same signature share its verification. */
const proposalSignedData = new WeakMap<peer.SignedProposal, SignedData>();

/**
 * A signed proposal's signature as SignedData: `creator`'s signature over the proposal bytes. The same
 * object is returned for the same proposal and creator, so the peer's proposal validation and its ACL check
 * verify the signature once (policies' signature checks are remembered by SignedData object).
 */
export function signedProposalAsSignedData(signed: peer.SignedProposal, creator: Uint8Array): SignedData {
  const known = proposalSignedData.get(signed);
  if (known !== undefined && Buffer.from(known.identity).equals(creator)) return known;
  const sd = {
    data: signed.getProposalBytes_asU8(),
    identity: creator,
    signature: signed.getSignature_asU8(),
  };
  proposalSignedData.set(signed, sd);
  return sd;
}

/** The envelope's signature as SignedData: the creator's signature over the payload bytes as received. */
export function envelopeAsSignedData(envelope: common.Envelope): SignedData[] {
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const shdrBytes = payload.getHeader()?.getSignatureHeader_asU8();
  if (!shdrBytes) throw new Error('envelope payload has no signature header');
  const shdr = common.SignatureHeader.deserializeBinary(shdrBytes);
  return [
    {
      data: envelope.getPayload_asU8(),
      identity: shdr.getCreator_asU8(),
      signature: envelope.getSignature_asU8(),
    },
  ];
}

/**
 * A config update's signatures as SignedData, each over `signature_header ‖ config_update`
 * (fabric ConfigUpdateEnvelope.AsSignedData).
 */
export function configUpdateEnvelopeAsSignedData(cue: common.ConfigUpdateEnvelope): SignedData[] {
  return cue.getSignaturesList().map((cs) => {
    const shdrBytes = cs.getSignatureHeader_asU8();
    const shdr = common.SignatureHeader.deserializeBinary(shdrBytes);
    return {
      data: Buffer.concat([shdrBytes, cue.getConfigUpdate_asU8()]),
      identity: shdr.getCreator_asU8(),
      signature: cs.getSignature_asU8(),
    };
  });
}
