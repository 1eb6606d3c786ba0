import { peer } from '@hyperledger/fabric-protos';
import { defaultEndorsementPolicyBytes, definitionStructure } from './chaincodedefinition';
import { fieldKey, metadataBytes, metadataKey, NAMESPACES_NAME, stateDataBytes } from './serializer';

/**
 * The public `_lifecycle` writes of committing a definition (default endorsement policy, no collections),
 * as key → value strings whose UTF-8 bytes are the serialized values (all ASCII for short names): for
 * tests that write a committed definition into a block without running `_lifecycle`.
 */
export function committedDefinitionWrites(
  name: string,
  version: string,
  sequence: number,
): Record<string, string> {
  const ei = new peer.lifecycle.ChaincodeEndorsementInfo();
  ei.setVersion(version);
  ei.setEndorsementPlugin('escc');
  const vi = new peer.lifecycle.ChaincodeValidationInfo();
  vi.setValidationPlugin('vscc');
  vi.setValidationParameter(defaultEndorsementPolicyBytes());
  const s = definitionStructure({
    sequence,
    endorsementInfo: ei,
    validationInfo: vi,
    collections: new peer.CollectionConfigPackage(),
  });
  const ascii = (b: Uint8Array): string => {
    if (b.some((x) => x > 0x7f)) throw new Error('definition bytes are not ASCII: use shorter names');
    return Buffer.from(b).toString('latin1');
  };
  const writes: Record<string, string> = { [metadataKey(NAMESPACES_NAME, name)]: ascii(metadataBytes(s)) };
  for (const [field, value] of s.fields)
    writes[fieldKey(NAMESPACES_NAME, name, field)] = ascii(stateDataBytes(value));
  return writes;
}
