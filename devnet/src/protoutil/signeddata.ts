import { common } from '@hyperledger/fabric-protos';

/**
 * One signature to check against a policy: `signature` by `identity` (a serialized
 * msp.SerializedIdentity) over `data` (fabric protoutil/signeddata.go).
 */
export interface SignedData {
  data: Uint8Array;
  identity: Uint8Array;
  signature: Uint8Array;
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
