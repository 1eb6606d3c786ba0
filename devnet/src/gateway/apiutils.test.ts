import * as grpc from '@grpc/grpc-js';
import { newGatewayError } from '@hyperledger/fabric-gateway/dist/gatewayerror';
import { peer } from '@hyperledger/fabric-protos';
import {
  decodeStatusDetails,
  encodeStatus,
  errorDetail,
  goCodeName,
  newRpcError,
  responseStatus,
  STATUS_DETAILS_KEY,
} from './apiutils';

function response(status: number, message: string, withPayload: boolean): peer.ProposalResponse {
  const r = new peer.Response();
  r.setStatus(status);
  r.setMessage(message);
  const pr = new peer.ProposalResponse();
  pr.setResponse(r);
  if (withPayload) pr.setPayload(Buffer.from('prp'));
  return pr;
}

describe('responseStatus (fabric apiutils.go)', () => {
  test.each([
    ['success', response(200, '', true), undefined, grpc.status.OK, '', false, false],
    [
      'chaincode error with payload',
      response(500, 'boom', true),
      undefined,
      grpc.status.UNKNOWN,
      'chaincode response 500, boom',
      false,
      false,
    ],
    [
      'chaincode 4xx without payload',
      response(404, 'nope', false),
      undefined,
      grpc.status.UNKNOWN,
      'chaincode response 404, nope',
      false,
      false,
    ],
    [
      'peer error 500 without payload',
      response(500, 'no such chaincode', false),
      undefined,
      grpc.status.ABORTED,
      'no such chaincode',
      true,
      false,
    ],
    [
      'chaincode crashed',
      response(500, 'x: chaincode stream terminated', false),
      undefined,
      grpc.status.ABORTED,
      'x: chaincode stream terminated',
      true,
      true,
    ],
    [
      'failed checks (response and error)',
      new peer.ProposalResponse(),
      new Error('access denied'),
      grpc.status.FAILED_PRECONDITION,
      'access denied',
      false,
      false,
    ],
    [
      'no response (gRPC failure)',
      undefined,
      new Error('connection refused'),
      grpc.status.UNAVAILABLE,
      'connection refused',
      true,
      true,
    ],
  ])('%s', (_name, pr, err, code, message, retry, remove) => {
    expect(responseStatus(pr, err)).toEqual({ code, message, retry, remove });
  });
});

describe('status details', () => {
  const details = [
    errorDetail('peer0.a:7051', 'AMSP', 'first'),
    errorDetail('peer0.b:8051', 'BMSP', 'second'),
  ];

  test('round-trip through google.rpc.Status', () => {
    const decoded = decodeStatusDetails(encodeStatus(grpc.status.ABORTED, 'failed', details));
    expect(decoded.map((d) => d.toObject())).toEqual([
      { address: 'peer0.a:7051', mspId: 'AMSP', message: 'first' },
      { address: 'peer0.b:8051', mspId: 'BMSP', message: 'second' },
    ]);
  });

  test("fabric-gateway's own newGatewayError reads what toServiceError writes", () => {
    const serviceError = newRpcError(
      grpc.status.ABORTED,
      'failed to endorse transaction',
      details,
    ).toServiceError();
    const clientSide = Object.assign(new Error(`10 ABORTED: ${serviceError.details}`), {
      code: serviceError.code!,
      details: serviceError.details!,
      metadata: serviceError.metadata!,
    });
    const gatewayError = newGatewayError(clientSide);
    expect(gatewayError.code).toBe(grpc.status.ABORTED);
    expect(gatewayError.details).toEqual([
      { address: 'peer0.a:7051', mspId: 'AMSP', message: 'first' },
      { address: 'peer0.b:8051', mspId: 'BMSP', message: 'second' },
    ]);
  });

  test('no details, no grpc-status-details-bin', () => {
    expect(
      newRpcError(grpc.status.INVALID_ARGUMENT, 'bad').toServiceError().metadata!.get(STATUS_DETAILS_KEY),
    ).toEqual([]);
  });
});

test('goCodeName spells codes as Go does', () => {
  expect(goCodeName(grpc.status.DEADLINE_EXCEEDED)).toBe('DeadlineExceeded');
  expect(goCodeName(grpc.status.UNAVAILABLE)).toBe('Unavailable');
  expect(goCodeName(grpc.status.OK)).toBe('OK');
});
