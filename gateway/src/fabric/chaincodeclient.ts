import { Contract } from '@hyperledger/fabric-gateway';
import { Logger } from 'pino';
import { ApiError } from '../errors';
import { getLogger } from '../logging';
import { ChaincodeClient, ResultShape, SubmitResult, TransientFields } from '../chaincode/client';
import { endorseAndSubmit } from './submit';
import { metrics } from '../ops/metrics';

/** The part of fabric-gateway's Contract the client uses (tests fake just this). */
export type GatewayContract = Pick<Contract, 'newProposal' | 'evaluate'>;

/**
 * Parses a chaincode result as JSON (of `shape`, when given); anything else is a
 * BAD_CHAINCODE_RESPONSE naming the transaction (and, for a wrong shape, the fields).
 */
export function parseJsonResult(bytes: Uint8Array, transaction: string, shape?: ResultShape): unknown {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new ApiError('BAD_CHAINCODE_RESPONSE', `${transaction} returned a result that is not JSON`);
  }
  if (shape === undefined) return value;
  const checked = shape.safeParse(value);
  if (!checked.success) {
    throw new ApiError('BAD_CHAINCODE_RESPONSE', `${transaction} returned an unexpected result`, {
      issues: checked.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return checked.data;
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
  async evaluate(transaction: string, args: readonly string[] = [], shape?: ResultShape): Promise<unknown> {
    const bytes = await metrics.time('evaluate', () =>
      this.contract.evaluate(transaction, { arguments: [...args] }),
    );
    return parseJsonResult(bytes, transaction, shape);
  }

  /**
   * Proposal → endorse → parse the result → submit → commit status; an invalidated transaction
   * throws CommitError, which the error handler maps to 409 TRANSACTION_INVALID.
   */
  async submit(
    transaction: string,
    args: readonly string[] = [],
    transient?: TransientFields,
    shape?: ResultShape,
    endorsingOrganizations?: readonly string[],
  ): Promise<SubmitResult> {
    const endorsers =
      endorsingOrganizations ??
      (transient !== undefined && this.transientEndorsers.length > 0 ? this.transientEndorsers : undefined);
    const proposal = this.contract.newProposal(transaction, {
      arguments: [...args],
      transientData: transientData(transient),
      endorsingOrganizations: endorsers === undefined ? undefined : [...endorsers],
    });
    const transactionId = proposal.getTransactionId();
    const log = this.logger.child({ transactionId, transaction });
    return endorseAndSubmit(
      proposal,
      (bytes) => parseJsonResult(bytes, transaction, shape),
      log,
      transaction,
    );
  }
}
