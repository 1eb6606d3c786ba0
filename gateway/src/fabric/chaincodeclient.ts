import { Contract } from '@hyperledger/fabric-gateway';
import { Logger } from 'pino';
import { ApiError } from '../errors';
import { getLogger } from '../logging';
import { ChaincodeClient, SubmitResult, TransientFields } from '../chaincode/client';
import { endorseAndSubmit } from './submit';
import { metrics } from '../ops/metrics';

/** The part of fabric-gateway's Contract the client uses (tests fake just this). */
export type GatewayContract = Pick<Contract, 'newProposal' | 'evaluate'>;

/** Parses a chaincode result as JSON; anything else is a BAD_CHAINCODE_RESPONSE. */
export function parseJsonResult(bytes: Uint8Array, transaction: string): unknown {
  const text = Buffer.from(bytes).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('BAD_CHAINCODE_RESPONSE', `${transaction} returned a result that is not JSON`);
  }
}

/** Transient fields as fabric-gateway wants them: each value its UTF-8 JSON bytes, bytes as they are. */
function transientData(transient: TransientFields | undefined): Record<string, Uint8Array> | undefined {
  if (transient === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(transient).map(([key, value]) => [
      key,
      value instanceof Uint8Array ? value : Buffer.from(JSON.stringify(value), 'utf8'),
    ]),
  );
}

/**
 * {@link ChaincodeClient} over fabric-gateway. `contract` must be the egov chaincode without a
 * contract name (`network.getContract(chaincodeName)`), so transaction names are qualified
 * (`ledger:RegisterRecord`).
 */
export class FabricChaincodeClient implements ChaincodeClient {
  /**
   * @param transientEndorsers - organizations that endorse transactions carrying transient data
   *   (Fabric's gateway lets only a private data collection's members endorse those, so the
   *   client must name them when the policy needs more; see {@link transientEndorsingOrgs}).
   */
  constructor(
    private readonly contract: GatewayContract,
    private readonly logger: Logger = getLogger('fabric.chaincode'),
    private readonly transientEndorsers: readonly string[] = [],
  ) {}

  /** Evaluates on the gateway's peer (no ordering) and parses the JSON result. */
  async evaluate(transaction: string, args: readonly string[] = []): Promise<unknown> {
    const bytes = await metrics.time('evaluate', () =>
      this.contract.evaluate(transaction, { arguments: [...args] }),
    );
    return parseJsonResult(bytes, transaction);
  }

  /**
   * Proposal → endorse → parse the result → submit → commit status; an invalidated transaction
   * throws CommitError, which the error handler maps to 409 TRANSACTION_INVALID.
   */
  async submit(
    transaction: string,
    args: readonly string[] = [],
    transient?: TransientFields,
  ): Promise<SubmitResult> {
    const proposal = this.contract.newProposal(transaction, {
      arguments: [...args],
      transientData: transientData(transient),
      endorsingOrganizations:
        transient !== undefined && this.transientEndorsers.length > 0
          ? [...this.transientEndorsers]
          : undefined,
    });
    const transactionId = proposal.getTransactionId();
    const log = this.logger.child({ transactionId, transaction });
    return endorseAndSubmit(proposal, (bytes) => parseJsonResult(bytes, transaction), log, 'transaction');
  }
}
