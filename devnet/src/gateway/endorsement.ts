import { gateway, peer } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import { errorDetail } from './apiutils';
import type { GatewayEndorser } from './registry';

const logger = getLogger('gateway.responsechecker');

/** The text Fabric's gateway reports for an endorser whose ProposalResponsePayload differs from the first one. */
export const PAYLOAD_MISMATCH = 'ProposalResponsePayloads do not match';

/**
 * The endorsements collected for one proposal (the collecting half of fabric endorsement.go `plan`): the first
 * successful response fixes the ProposalResponsePayload; every later one must carry byte-identical payload
 * bytes or it is refused with "ProposalResponsePayloads do not match". Failures become ErrorDetails.
 */
export class EndorsementCollection {
  private payload: Uint8Array | undefined;
  private firstEndorser = '';
  private readonly collected: peer.Endorsement[] = [];
  private readonly errors: gateway.ErrorDetail[] = [];

  /** The agreed ProposalResponsePayload bytes (undefined until an endorsement is accepted). */
  get responsePayload(): Uint8Array | undefined {
    return this.payload;
  }

  /** The accepted endorsements, in the order they arrived. */
  get endorsements(): peer.Endorsement[] {
    return [...this.collected];
  }

  /** One ErrorDetail per failed endorsement attempt. */
  get errorDetails(): gateway.ErrorDetail[] {
    return [...this.errors];
  }

  /** Records a failed attempt. */
  addError(endorser: GatewayEndorser, message: string): void {
    this.errors.push(errorDetail(endorser.address, endorser.mspId, message));
  }

  /**
   * Accepts a successful response unless its payload differs from the first accepted one (fabric
   * plan.processEndorsement). Returns whether it was accepted.
   */
  processEndorsement(endorser: GatewayEndorser, response: peer.ProposalResponse): boolean {
    const payload = response.getPayload_asU8();
    if (this.payload === undefined) {
      this.payload = payload;
      this.firstEndorser = `${endorser.address} (${endorser.mspId})`;
    } else if (!Buffer.from(this.payload).equals(Buffer.from(payload))) {
      logger.warn(
        { initialEndorser: this.firstEndorser, invokedEndorser: `${endorser.address} (${endorser.mspId})` },
        'ProposalResponsePayloads do not match',
      );
      this.addError(endorser, PAYLOAD_MISMATCH);
      return false;
    }
    const endorsement = response.getEndorsement();
    if (endorsement) this.collected.push(endorsement);
    return true;
  }

  /** The serialized identities of the accepted endorsements' endorsers, in the order they arrived. */
  endorsers(): Uint8Array[] {
    return this.collected.map((endorsement) => endorsement.getEndorser_asU8());
  }
}
