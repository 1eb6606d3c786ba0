/**
 * An application that keeps its own private key and transacts through govfabric's HTTP gateway
 * with fabric-gateway's offline signing flow (`/api/v1/offline`): the gateway builds each message,
 * this client checks it and signs its digest, and the key never leaves this process.
 *
 *   npx tsc -p examples/offline-signing
 *   GATEWAY_URL=http://127.0.0.1:3000 GATEWAY_TOKEN=$TOKEN CERT=cert.pem KEY=key.pem \
 *     node examples/offline-signing/dist/client.js evaluate authorities:WhoAmI
 *   ... node examples/offline-signing/dist/client.js submit ledger:RegisterRecord "$RECORD" --transient salt=$SALT
 */
import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signers, type Signer } from '@hyperledger/fabric-gateway';
import { gateway, peer } from '@hyperledger/fabric-protos';

/** Where the gateway is, how to authenticate to it, and the identity this client signs as. */
export interface OfflineClientOptions {
  /** e.g. `http://127.0.0.1:3000` */
  gatewayUrl: string;
  /** An officer's bearer token (or use `apiKey`). */
  token?: string;
  apiKey?: string;
  /** PEM certificate of this client's identity in the gateway's ministry. */
  certificate: string;
  /** Its private key: stays in this process. */
  privateKey: KeyObject;
}

/** A transaction committed through the offline flow. */
export interface OfflineCommitted {
  transactionId: string;
  blockNumber: number;
  /** The chaincode's result, as endorsed. */
  result: Uint8Array;
}

type Json = Record<string, unknown>;

/** The HTTP gateway's offline signing routes, with a key held here. */
export class OfflineSigningClient {
  private readonly sign: Signer;

  constructor(private readonly options: OfflineClientOptions) {
    this.sign = signers.newPrivateKeySigner(options.privateKey);
  }

  /** Evaluates a transaction as this client: proposal → sign → evaluation. */
  async evaluate(transaction: string, args: string[] = []): Promise<Uint8Array> {
    const proposal = await this.propose(transaction, args);
    const evaluated = await this.post('evaluations', {
      proposal: proposal.proposal,
      signature: await this.signed(proposal, 'proposal'),
    });
    return Buffer.from(String(evaluated.result), 'base64');
  }

  /**
   * Submits a transaction as this client and waits for its commit: proposal → sign → endorsement
   * → sign → submission → sign → commit status. Throws with the gateway's problem on any refusal.
   */
  async submit(
    transaction: string,
    args: string[] = [],
    transient?: Record<string, Uint8Array>,
  ): Promise<OfflineCommitted> {
    const proposal = await this.propose(transaction, args, transient);
    const endorsed = await this.post('endorsements', {
      proposal: proposal.proposal,
      signature: await this.signed(proposal, 'proposal'),
    });
    expectTransactionId(endorsed, proposal.transactionId);
    const submitted = await this.post('submissions', {
      transaction: endorsed.transaction,
      signature: await this.signed(endorsed, 'transaction'),
    });
    expectTransactionId(submitted, proposal.transactionId);
    const status = await this.post('commits', {
      commit: submitted.commit,
      signature: await this.signed(submitted, 'commit'),
    });
    return {
      transactionId: String(status.transactionId),
      blockNumber: Number(status.blockNumber),
      result: Buffer.from(String(endorsed.result), 'base64'),
    };
  }

  /** Asks for the unsigned proposal and checks it invokes what was asked, before anything is signed. */
  private async propose(
    transaction: string,
    args: string[],
    transient?: Record<string, Uint8Array>,
  ): Promise<Json> {
    const answer = await this.post('proposals', {
      certificate: this.options.certificate,
      transaction,
      arguments: args,
      ...(transient
        ? {
            transient: Object.fromEntries(
              Object.entries(transient).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
            ),
          }
        : {}),
    });
    const invoked = invocationOf(Buffer.from(String(answer.proposal), 'base64'));
    if (JSON.stringify(invoked) !== JSON.stringify([transaction, ...args]))
      throw new Error(
        `the gateway proposed ${JSON.stringify(invoked)}, not what was asked: refusing to sign`,
      );
    return answer;
  }

  /** Signs `answer[field]`'s digest, recomputed here: a client signs only bytes it has seen. */
  private async signed(answer: Json, field: string): Promise<string> {
    const bytes = Buffer.from(String(answer[field]), 'base64');
    const digest = createHash('sha256').update(signedPart(field, bytes)).digest();
    if (!digest.equals(Buffer.from(String(answer.digest), 'base64')))
      throw new Error(`the ${field}'s digest is not the SHA-256 of its signed bytes: refusing to sign`);
    return Buffer.from(await this.sign(digest)).toString('base64');
  }

  private async post(route: string, body: Json): Promise<Json> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (this.options.apiKey) headers['x-api-key'] = this.options.apiKey;
    const res = await fetch(`${this.options.gatewayUrl}/api/v1/offline/${route}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as Json;
    if (!res.ok) {
      const error = new Error(`${route}: ${res.status} ${String(answer.detail ?? JSON.stringify(answer))}`);
      throw Object.assign(error, { status: res.status, problem: answer });
    }
    return answer;
  }
}

function expectTransactionId(answer: Json, transactionId: unknown): void {
  if (answer.transactionId !== transactionId)
    throw new Error(
      `the gateway answered for transaction ${String(answer.transactionId)}, not ${String(transactionId)}`,
    );
}

/** The bytes a signature covers in each message of the flow (what fabric-gateway's getDigest() hashes). */
function signedPart(field: string, bytes: Uint8Array): Uint8Array {
  if (field === 'proposal')
    return gateway.ProposedTransaction.deserializeBinary(bytes).getProposal()!.getProposalBytes_asU8();
  if (field === 'transaction')
    return gateway.PreparedTransaction.deserializeBinary(bytes).getEnvelope()!.getPayload_asU8();
  return gateway.SignedCommitStatusRequest.deserializeBinary(bytes).getRequest_asU8();
}

/** The function and arguments a proposal invokes. */
function invocationOf(proposedTransaction: Uint8Array): string[] {
  const proposal = peer.Proposal.deserializeBinary(signedPart('proposal', proposedTransaction));
  const payload = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8());
  const spec = peer.ChaincodeInvocationSpec.deserializeBinary(payload.getInput_asU8()).getChaincodeSpec();
  return (spec?.getInput()?.getArgsList_asU8() ?? []).map((a) => Buffer.from(a).toString('utf8'));
}

/** `evaluate|submit <transaction> [args...] [--transient key=base64]...` with GATEWAY_URL, GATEWAY_TOKEN, CERT, KEY. */
async function main(argv: string[]): Promise<void> {
  const [command, transaction, ...rest] = argv;
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  if ((command !== 'evaluate' && command !== 'submit') || transaction === undefined)
    throw new Error('usage: evaluate|submit <transaction> [args...] [--transient key=base64]...');
  const args: string[] = [];
  const transient: Record<string, Uint8Array> = {};
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] !== '--transient') {
      args.push(rest[i]);
      continue;
    }
    const [key, value] = (rest[++i] ?? '').split(/=(.*)/s);
    if (!key || value === undefined) throw new Error('--transient takes key=base64');
    transient[key] = Buffer.from(value, 'base64');
  }
  const client = new OfflineSigningClient({
    gatewayUrl: env('GATEWAY_URL'),
    token: process.env.GATEWAY_TOKEN,
    apiKey: process.env.GATEWAY_API_KEY,
    certificate: readFileSync(env('CERT'), 'utf8'),
    privateKey: createPrivateKey(readFileSync(env('KEY'))),
  });
  if (command === 'evaluate') {
    process.stdout.write(`${Buffer.from(await client.evaluate(transaction, args)).toString('utf8')}\n`);
    return;
  }
  const committed = await client.submit(
    transaction,
    args,
    Object.keys(transient).length > 0 ? transient : undefined,
  );
  process.stdout.write(
    `${JSON.stringify({ ...committed, result: Buffer.from(committed.result).toString('utf8') })}\n`,
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  });
}
