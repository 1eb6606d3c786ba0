/**
 * Test-only fake of a peer's gateway.Gateway gRPC service, answering as Fabric's
 * internal/pkg/gateway does (result shapes and error details), so the real @hyperledger/fabric-gateway
 * client can be driven end to end without a network. Not part of the build.
 */
import * as grpc from '@grpc/grpc-js';
import { common, gateway, google, msp, peer } from '@hyperledger/fabric-protos';
import { Any } from 'google-protobuf/google/protobuf/any_pb';

/**
 * What the fake chaincode answers: a payload as JSON or as the bytes given (status 200; bytes for
 * a system chaincode's protobuf answer, such as qscc GetChainInfo's), or a chaincode error message
 * (status 500).
 */
export type ChaincodeAnswer = { payload: unknown } | { bytes: Uint8Array } | { error: string };

/** One invocation the fake peer received. */
export interface Invocation {
  method: 'Evaluate' | 'Endorse';
  fn: string;
  args: string[];
  creatorMspId: string;
  txId: string;
}

/** Behaviour of the fake peer. */
export interface FakePeerOptions {
  chaincode: (fn: string, args: string[]) => ChaincodeAnswer;
  /** Validation code CommitStatus reports (default 0, VALID). */
  validationCode?: (txId: string) => number;
  blockNumber?: number;
  /**
   * A common.Status name (`BAD_REQUEST`) the orderer refuses the transaction with, as Fabric's gateway
   * reports it (Aborted, internal/pkg/gateway/submit.go); undefined: the orderer takes it.
   */
  ordererRefusal?: (txId: string) => string | undefined;
  /** CommitStatus answers a transaction only after this many ms (a commit that is slow to come). */
  commitStatusDelayMs?: (txId: string) => number;
}

/** A running fake peer. */
export interface FakePeer {
  port: number;
  invocations: Invocation[];
  stop(): Promise<void>;
}

const address = 'peer0.test.local:7051';

/** The function name and arguments inside a SignedProposal, plus its creator's MSP id and tx id. */
function decodeProposal(signed: peer.SignedProposal | undefined): Omit<Invocation, 'method'> {
  if (!signed) throw new Error('missing signed proposal');
  const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
  const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
  const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
  const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
  const creator = msp.SerializedIdentity.deserializeBinary(signatureHeader.getCreator_asU8());
  const payload = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8());
  const spec = peer.ChaincodeInvocationSpec.deserializeBinary(payload.getInput_asU8()).getChaincodeSpec();
  const [fn, ...args] = (spec?.getInput()?.getArgsList_asU8() ?? []).map((arg) =>
    Buffer.from(arg).toString('utf8'),
  );
  return { fn, args, creatorMspId: creator.getMspid(), txId: channelHeader.getTxId() };
}

/** A gRPC error carrying gateway.ErrorDetail entries in grpc-status-details-bin, as Fabric sends them. */
function rpcError(code: grpc.status, message: string, detailMessage: string): Partial<grpc.StatusObject> {
  const detail = new gateway.ErrorDetail();
  detail.setAddress(address);
  detail.setMspId('ImmigrationMSP');
  detail.setMessage(detailMessage);
  const any = new Any();
  any.pack(detail.serializeBinary(), 'gateway.ErrorDetail');
  const status = new google.rpc.Status();
  status.setCode(code);
  status.setMessage(message);
  status.setDetailsList([any]);
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(status.serializeBinary()));
  return { code, details: message, metadata };
}

function chaincodeResponse(answer: Exclude<ChaincodeAnswer, { error: string }>): peer.Response {
  const response = new peer.Response();
  response.setStatus(200);
  response.setPayload('bytes' in answer ? answer.bytes : Buffer.from(JSON.stringify(answer.payload)));
  return response;
}

/** The header of a SignedProposal's proposal: the endorsed transaction carries it, as Fabric's does. */
function proposalHeader(signed: peer.SignedProposal | undefined): common.Header {
  const proposal = peer.Proposal.deserializeBinary(signed!.getProposalBytes_asU8());
  return common.Header.deserializeBinary(proposal.getHeader_asU8());
}

/**
 * The prepared transaction Envelope, with just what fabric-gateway's transactionparser walks, under
 * the proposal's header (channel header and signature header with the creator).
 */
function preparedTransaction(header: common.Header, response: peer.Response): common.Envelope {
  const action = new peer.ChaincodeAction();
  action.setResponse(response);
  const prp = new peer.ProposalResponsePayload();
  prp.setExtension$(action.serializeBinary());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(prp.serializeBinary());
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setAction(endorsed);
  const txAction = new peer.TransactionAction();
  txAction.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([txAction]);
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope;
}

/** Starts the fake peer on 127.0.0.1 with TLS (`keyPem`/`certPem`), on a free port. */
export async function startFakePeer(
  options: FakePeerOptions,
  tls: { certPem: string; keyPem: string },
): Promise<FakePeer> {
  const invocations: Invocation[] = [];
  const server = new grpc.Server();
  const implementation: gateway.IGatewayServer = {
    evaluate: (call, callback) => {
      const inv = { method: 'Evaluate' as const, ...decodeProposal(call.request.getProposedTransaction()) };
      invocations.push(inv);
      const answer = options.chaincode(inv.fn, inv.args);
      if ('error' in answer) {
        const message = `chaincode response 500, ${answer.error}`;
        callback(
          rpcError(grpc.status.UNKNOWN, `evaluate call to endorser returned error: ${message}`, message),
        );
        return;
      }
      const reply = new gateway.EvaluateResponse();
      reply.setResult(chaincodeResponse(answer));
      callback(null, reply);
    },
    endorse: (call, callback) => {
      const inv = { method: 'Endorse' as const, ...decodeProposal(call.request.getProposedTransaction()) };
      invocations.push(inv);
      const answer = options.chaincode(inv.fn, inv.args);
      if ('error' in answer) {
        const message = 'failed to endorse transaction, see attached details for more info';
        callback(rpcError(grpc.status.ABORTED, message, `chaincode response 500, ${answer.error}`));
        return;
      }
      const reply = new gateway.EndorseResponse();
      reply.setPreparedTransaction(
        preparedTransaction(proposalHeader(call.request.getProposedTransaction()), chaincodeResponse(answer)),
      );
      callback(null, reply);
    },
    submit: (call, callback) => {
      const refusal = options.ordererRefusal?.(call.request.getTransactionId());
      if (refusal === undefined) {
        callback(null, new gateway.SubmitResponse());
        return;
      }
      // Fabric's gateway sends this refusal without error details.
      const message = `received unsuccessful response from orderer: status=${refusal}, info=refused by the fake orderer`;
      callback({ code: grpc.status.ABORTED, details: message, metadata: new grpc.Metadata() });
    },
    commitStatus: async (call, callback) => {
      const request = gateway.CommitStatusRequest.deserializeBinary(call.request.getRequest_asU8());
      const delay = options.commitStatusDelayMs?.(request.getTransactionId()) ?? 0;
      // unref: a test that stopped waiting need not wait for this answer to end.
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay).unref());
      const reply = new gateway.CommitStatusResponse();
      reply.setResult(
        (options.validationCode?.(request.getTransactionId()) ??
          0) as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap],
      );
      reply.setBlockNumber(options.blockNumber ?? 5);
      callback(null, reply);
    },
    chaincodeEvents: (call) => call.end(),
  };
  server.addService(gateway.GatewayService, implementation as unknown as grpc.UntypedServiceImplementation);
  const credentials = grpc.ServerCredentials.createSsl(null, [
    { private_key: Buffer.from(tls.keyPem), cert_chain: Buffer.from(tls.certPem) },
  ]);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  return {
    port,
    invocations,
    stop: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}
