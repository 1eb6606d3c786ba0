import { Contract } from '@hyperledger/fabric-gateway';
import { Logger } from 'pino';
import { z } from 'zod';
import { ApiError } from '../errors';
import { getLogger } from '../logging';
import { HashVerification, RecordsService, RegisteredRecord } from '../records/service';
import { RegisterRecordRequest } from '../records/schema';
import { endorseAndSubmit } from './submit';
import { metrics } from '../ops/metrics';
import { newSalt, TRANSIENT_SALT_KEY } from '../documents/salt';

/** The part of fabric-gateway's Contract the records service uses (tests fake just this). */
export type LedgerContract = Pick<Contract, 'newProposal' | 'evaluate'>;

/** The egov chaincode's contract holding records: transactions are called `ledger:<Name>`. */
export const LEDGER_CONTRACT = 'ledger';

/** What `ledger:RegisterRecord` returns (other fields are ignored). */
const registerResultSchema = z.looseObject({ id: z.string(), hash: z.string(), status: z.string() });
const verifyResultSchema = z.looseObject({ found: z.boolean() });
const recordSchema = z.record(z.string(), z.unknown());

/** Parses a chaincode result as JSON of the given shape; a wrong shape is a BAD_CHAINCODE_RESPONSE. */
function parseResult<T>(bytes: Uint8Array, schema: z.ZodType<T>, transaction: string): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new ApiError('BAD_CHAINCODE_RESPONSE', `${transaction} returned a result that is not JSON`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ApiError('BAD_CHAINCODE_RESPONSE', `${transaction} returned an unexpected result`, {
      issues: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return result.data;
}

/**
 * {@link RecordsService} over fabric-gateway: `contract` must be the egov chaincode's `ledger`
 * contract (`network.getContract(chaincodeName, LEDGER_CONTRACT)`), so names below are bare.
 */
export class FabricRecordsService implements RecordsService {
  /** @param transientEndorsers - as FabricChaincodeClient's: who endorses a registration (its transient map always holds a salt). */
  constructor(
    private readonly contract: LedgerContract,
    private readonly logger: Logger = getLogger('fabric.records'),
    private readonly transientEndorsers: readonly string[] = [],
  ) {}

  /** Proposal → endorse → check the result → submit → commit status, as in Fabric's gateway flow. */
  async registerRecord(request: RegisterRecordRequest): Promise<RegisteredRecord> {
    // Personal fields and the salt go only into the transient map: never into the proposal's arguments.
    const { personal, ...record } = request;
    const salt = newSalt();
    const proposal = this.contract.newProposal('RegisterRecord', {
      arguments: [JSON.stringify(record)],
      transientData: {
        [TRANSIENT_SALT_KEY]: salt,
        ...(personal === undefined ? {} : { personal: Buffer.from(JSON.stringify(personal), 'utf8') }),
      },
      endorsingOrganizations: this.transientEndorsers.length > 0 ? [...this.transientEndorsers] : undefined,
    });
    const transactionId = proposal.getTransactionId();
    const log = this.logger.child({ transactionId, recordId: request.id });
    const { result, ...committed } = await endorseAndSubmit(
      proposal,
      (bytes) => parseResult(bytes, registerResultSchema, 'ledger:RegisterRecord'),
      log,
      'RegisterRecord',
    );
    return {
      id: result.id,
      hash: result.hash,
      transactionId: committed.transactionId,
      blockNumber: committed.blockNumber,
      status: result.status,
      salt: salt.toString('hex'),
    };
  }

  /** Evaluates `ledger:GetRecord(id)`. */
  async getRecord(id: string): Promise<Record<string, unknown>> {
    const bytes = await metrics.time('evaluate', () =>
      this.contract.evaluate('GetRecord', { arguments: [id] }),
    );
    return parseResult(bytes, recordSchema, 'ledger:GetRecord');
  }

  /** Evaluates `ledger:VerifyHash(hash)`. */
  async verifyHash(hash: string): Promise<HashVerification> {
    const bytes = await metrics.time('evaluate', () =>
      this.contract.evaluate('VerifyHash', { arguments: [hash] }),
    );
    return parseResult(bytes, verifyResultSchema, 'ledger:VerifyHash');
  }
}
