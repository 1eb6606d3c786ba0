import type * as grpc from '@grpc/grpc-js';
import { CommitError, type Gateway } from '@hyperledger/fabric-gateway';
import { ApiError, TransactionPending } from '../errors';
import { noteTransaction } from '../ops/context';
import { metrics } from '../ops/metrics';
import { checkClientSignature, p256PublicKey } from './clientsignature';
import { connectGateway, type DeadlineSettings } from './connection';
import { definiteSubmitRefusal, validationCodeName } from './errors';
import {
  parseCommitStatusRequest,
  parseProposal,
  parseTransaction,
  type Creator,
  type SignableMessage,
} from './signedmessages';

/** Something for the client to sign: its bytes (to send back) and their SHA-256 digest (to sign). */
export interface Signable {
  transactionId: string;
  bytes: Uint8Array;
  digest: Uint8Array;
}

/** What the client asks to propose, as the holder of `certificate`'s key. */
export interface OfflineProposalRequest {
  /** PEM certificate of the client's identity in the gateway's ministry. */
  certificate: string;
  /** Qualified transaction name, e.g. `ledger:RegisterRecord`. */
  transaction: string;
  arguments: string[];
  transient?: Record<string, Uint8Array>;
}

/** Where offline-signed transactions go, and who endorses those carrying transient data. */
export interface OfflineSettings {
  mspId: string;
  channel: string;
  chaincode: string;
  /** As FabricChaincodeClient's: named as endorsing organizations when the proposal has transient data. */
  transientEndorsers: readonly string[];
  /**
   * Per-call deadlines, as the other routes' (GATEWAY_COMMIT_TIMEOUT_MS sets `commitStatus`); default
   * connection.ts's Deadlines.
   */
  deadlines?: DeadlineSettings;
}

/** A committed transaction's status. */
export interface OfflineCommitStatus {
  transactionId: string;
  blockNumber: number;
  validationCode: string;
}

/**
 * fabric-gateway's offline signing flow for clients that keep their own key: the gateway builds
 * the unsigned proposal for the client's certificate, and sends on each message only once the
 * client signed its digest: proposal (evaluate or endorse), then the endorsed transaction
 * (submit), then the commit status request. The gateway never holds the client's private key;
 * every step is stateless, the bytes carry everything. Signatures are checked here first, so a
 * client's mistake is a 400, not a refusal from the network.
 */
export class OfflineTransactions {
  constructor(
    private readonly client: grpc.Client,
    private readonly settings: OfflineSettings,
  ) {}

  /** The unsigned proposal of `request` for the client to sign. */
  propose(request: OfflineProposalRequest): Signable {
    p256PublicKey(request.certificate, 'certificate');
    const creator = { mspId: this.settings.mspId, certificate: request.certificate };
    const proposal = this.gatewayOf(creator)
      .getNetwork(this.settings.channel)
      .getContract(this.settings.chaincode)
      .newProposal(request.transaction, {
        arguments: request.arguments,
        transientData: request.transient,
        endorsingOrganizations:
          request.transient !== undefined && this.settings.transientEndorsers.length > 0
            ? [...this.settings.transientEndorsers]
            : undefined,
      });
    return {
      transactionId: proposal.getTransactionId(),
      bytes: proposal.getBytes(),
      digest: proposal.getDigest(),
    };
  }

  /** Evaluates a signed proposal on the gateway's peer; the chaincode's result. */
  async evaluate(
    bytes: Uint8Array,
    signature: Uint8Array,
  ): Promise<{ transactionId: string; result: Uint8Array }> {
    const message = this.checked(parseProposal(bytes), signature, 'proposal');
    const proposal = this.gatewayOf(message.creator).newSignedProposal(bytes, signature);
    const result = await metrics.time('evaluate', () => proposal.evaluate());
    return { transactionId: message.transactionId, result };
  }

  /** Endorses a signed proposal; the chaincode's result and the transaction for the client to sign. */
  async endorse(bytes: Uint8Array, signature: Uint8Array): Promise<Signable & { result: Uint8Array }> {
    const message = this.checked(parseProposal(bytes), signature, 'proposal');
    noteTransaction(message.transactionId);
    const proposal = this.gatewayOf(message.creator).newSignedProposal(bytes, signature);
    let transaction: Awaited<ReturnType<typeof proposal.endorse>>;
    try {
      transaction = await metrics.time('endorse', () => proposal.endorse());
    } catch (err) {
      metrics.transactions.inc({ outcome: 'refused' });
      throw err;
    }
    return {
      transactionId: message.transactionId,
      result: transaction.getResult(),
      bytes: transaction.getBytes(),
      digest: transaction.getDigest(),
    };
  }

  /**
   * Submits a signed transaction to the orderer; the commit status request for the client to sign.
   * When the orderer's answer is lost the outcome is unknown: 202 with the transaction id to poll;
   * an outright refusal by the orderer is definite (ORDERER_REFUSED).
   */
  async submit(bytes: Uint8Array, signature: Uint8Array): Promise<Signable> {
    const message = this.checked(parseTransaction(bytes), signature, 'transaction');
    noteTransaction(message.transactionId);
    // The commit status request names the gateway's identity: it must be the client's own.
    const transaction = this.gatewayOf(message.creator).newSignedTransaction(bytes, signature);
    let submitted: Awaited<ReturnType<typeof transaction.submit>>;
    try {
      submitted = await metrics.time('submit', () => transaction.submit());
    } catch (err) {
      const refusal = definiteSubmitRefusal(err, message.transactionId);
      if (refusal) {
        metrics.transactions.inc({ outcome: 'refused' });
        throw refusal;
      }
      metrics.transactions.inc({ outcome: 'unknown' });
      throw new TransactionPending(message.transactionId, 'unknown', err);
    }
    return {
      transactionId: message.transactionId,
      bytes: submitted.getBytes(),
      digest: submitted.getDigest(),
    };
  }

  /** The commit status of a submitted transaction; an invalidated one throws CommitError (409). */
  async commitStatus(bytes: Uint8Array, signature: Uint8Array): Promise<OfflineCommitStatus> {
    const message = this.checked(parseCommitStatusRequest(bytes), signature, 'commit status request');
    noteTransaction(message.transactionId);
    const commit = this.gatewayOf(message.creator).newSignedCommit(bytes, signature);
    let status: Awaited<ReturnType<typeof commit.getStatus>>;
    try {
      status = await metrics.time('commit', () => commit.getStatus());
    } catch (err) {
      throw new TransactionPending(message.transactionId, 'unknown', err);
    }
    const validationCode = validationCodeName(status.code);
    if (!status.successful) {
      metrics.transactions.inc({ outcome: 'invalid' });
      throw new CommitError({
        code: status.code,
        transactionId: status.transactionId,
        message: `Transaction ${status.transactionId} failed to commit with status code ${status.code} (${validationCode})`,
      });
    }
    metrics.transactions.inc({ outcome: 'committed' });
    return { transactionId: status.transactionId, blockNumber: Number(status.blockNumber), validationCode };
  }

  /** The message, once its channel, chaincode, ministry and signature are this gateway's to send. */
  private checked(message: SignableMessage, signature: Uint8Array, what: string): SignableMessage {
    const { mspId, channel, chaincode } = this.settings;
    if (message.channel !== channel)
      throw new ApiError(
        'VALIDATION_FAILED',
        `the ${what} is for channel ${message.channel}; this gateway serves ${channel}`,
      );
    if (message.chaincode !== undefined && message.chaincode !== chaincode)
      throw new ApiError(
        'VALIDATION_FAILED',
        `the ${what} invokes chaincode ${message.chaincode}; this gateway serves ${chaincode}`,
      );
    if (message.creator.mspId !== mspId)
      throw new ApiError(
        'FORBIDDEN',
        `the ${what} was created by ${message.creator.mspId}; this gateway serves ${mspId}`,
      );
    checkClientSignature(message.creator.certificate, message.signedBytes, signature, what);
    return message;
  }

  /** A Gateway over the shared gRPC client whose identity is the client's (no signer). */
  private gatewayOf(creator: Creator): Gateway {
    return connectGateway(
      this.client,
      { mspId: creator.mspId, credentials: Buffer.from(creator.certificate) },
      undefined,
      this.settings.deadlines,
    );
  }
}
