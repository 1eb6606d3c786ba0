import * as grpc from '@grpc/grpc-js';
import { CommitError, EndorseError, GatewayError } from '@hyperledger/fabric-gateway';
import {
  chaincodeFailureToApiError,
  endorsersDisagreed,
  fabricErrorToApiError,
  findChaincodeFailure,
  grpcStatusName,
  validationCodeName,
} from './errors';

function serviceError(code: grpc.status, message: string): grpc.ServiceError {
  return Object.assign(new Error(`${code} ${grpc.status[code]}: ${message}`), {
    code,
    details: message,
    metadata: new grpc.Metadata(),
  });
}

function gatewayError(code: grpc.status, message: string, detailMessages: string[] = []): GatewayError {
  const cause = serviceError(code, message);
  return new GatewayError({
    code,
    cause,
    message: cause.message,
    details: detailMessages.map((m) => ({ address: 'peer0:7051', mspId: 'ImmigrationMSP', message: m })),
  });
}

describe('findChaincodeFailure', () => {
  it('reads the chaincode status and message from an endorser detail', () => {
    const err = gatewayError(
      grpc.status.ABORTED,
      'failed to endorse transaction, see attached details for more info',
      ['chaincode response 500, record r1 already exists'],
    );
    expect(findChaincodeFailure(err)).toEqual({ status: 500, message: 'record r1 already exists' });
  });

  it('falls back to the status message (Evaluate puts it there too)', () => {
    const err = gatewayError(
      grpc.status.UNKNOWN,
      'evaluate call to endorser returned error: chaincode response 404, gone',
    );
    expect(findChaincodeFailure(err)).toEqual({ status: 404, message: 'gone' });
  });

  it('finds nothing in a peer-generated failure', () => {
    expect(
      findChaincodeFailure(
        gatewayError(grpc.status.ABORTED, 'failed to collect enough transaction endorsements', [
          'access denied',
        ]),
      ),
    ).toBeUndefined();
  });
});

describe('chaincodeFailureToApiError', () => {
  it.each([
    ['record r1 already exists', 409, 'ALREADY_EXISTS'],
    ['ministry EducationMSP is already registered', 409, 'ALREADY_EXISTS'],
    [`deposit ${'d'.repeat(64)} was already claimed`, 409, 'ALREADY_USED'],
    ['voucher v1 of EducationMSP was already redeemed', 409, 'ALREADY_USED'],
    ['the rewards of audit case c1 were already paid', 409, 'ALREADY_USED'],
    ['ministry HealthMSP already decided on proposal p1 (APPROVED)', 409, 'ALREADY_USED'],
    [
      'x509::CN=a::CN=ca (HealthMSP) already decided on audit case c1; an auditor decides once',
      409,
      'ALREADY_USED',
    ],
    ['grant g1 was already revoked at 2026-01-01T00:00:00Z', 409, 'ALREADY_USED'],
    ['record r1 is REVOKED; RevokeRecord applies only to ACTIVE or SUSPENDED records', 409, 'WRONG_STATUS'],
    ['proposal p1 is CONFIRMED, not OPEN', 409, 'WRONG_STATUS'],
    ['audit case c1 is REJECTED, not OPEN', 409, 'WRONG_STATUS'],
    // A limit, not a step taken before: still the client's 400.
    ['schema a.b already has 100 versions', 400, 'CHAINCODE_REJECTED'],
    ['record r1 does not exist', 404, 'NOT_FOUND'],
    ['rule x not found', 404, 'NOT_FOUND'],
    ['no schema is registered for record type a.b', 404, 'NOT_FOUND'],
    ['schema a.b has no version 3', 404, 'NOT_FOUND'],
    [
      'the personal data of record r is not held by this peer; evaluate on a peer of HealthMSP',
      404,
      'NOT_FOUND',
    ],
    ['access denied: DefineRule needs an admin', 403, 'FORBIDDEN'],
    [
      'DefineRule requires an admin identity (certificate OU=admin); the caller from ImmigrationMSP is not an admin',
      403,
      'FORBIDDEN',
    ],
    [
      'record r was issued by EducationMSP; only EducationMSP may revoke it (the caller is from HealthMSP)',
      403,
      'FORBIDDEN',
    ],
    ['x509::CN=u::CN=ca (EducationMSP) lacks role verifier for scope G2C', 403, 'FORBIDDEN'],
    [
      'grant g belongs to ministry EducationMSP; only its admins may revoke it, not HealthMSP',
      403,
      'FORBIDDEN',
    ],
    [
      'record type a.b is in domain a, owned by EducationMSP; only EducationMSP registers its schemas (the caller is from HealthMSP)',
      403,
      'FORBIDDEN',
    ],
    [
      'Propose: ministry HealthMSP is not registered for governance (its admin runs governance:RegisterMinistry)',
      403,
      'FORBIDDEN',
    ],
    [
      'no currency is issued yet: the governed setting "currency" (supply policy) was never enacted',
      404,
      'NOT_FOUND',
    ],
    [
      'Mint is reserved to the central bank (CentralBankMSP); the caller is from EducationMSP',
      403,
      'FORBIDDEN',
    ],
    [
      'account treasury:EducationMSP is kept by EducationMSP; the caller from HealthMSP may not spend from it',
      403,
      'FORBIDDEN',
    ],
    [
      `account officer:EducationMSP:${'a'.repeat(64)} belongs to another identity of EducationMSP; only its holder may spend from it`,
      403,
      'FORBIDDEN',
    ],
    [
      'account citizen:EducationMSP:psn-0123456789abcdef is visible to EducationMSP and the central bank only, not to HealthMSP',
      403,
      'FORBIDDEN',
    ],
    ["You've asked to invoke a function that does not exist: Nope", 502, 'CHAINCODE_FAILED'],
    ['hash index points at missing record r1', 502, 'CHAINCODE_FAILED'],
    ['state of record r1 is not valid JSON', 502, 'CHAINCODE_FAILED'],
    [
      'recordJson: field "subjectRef" looks like a raw identifier (only digits); send a pseudonymous reference',
      400,
      'CHAINCODE_REJECTED',
    ],
    ['category must be one of G2C, G2B, G2G, G2E', 400, 'CHAINCODE_REJECTED'],
  ])('maps %s to %d', (message, status, code) => {
    const err = chaincodeFailureToApiError({ status: 500, message });
    expect([err.status, err.code, err.message]).toEqual([status, code, message]);
  });
});

describe('fabricErrorToApiError', () => {
  it('maps CommitError to 409 with the validation code name', () => {
    const err = fabricErrorToApiError(new CommitError({ code: 10, transactionId: 'tx9', message: 'x' }));
    expect(err?.status).toBe(409);
    expect(err?.details).toEqual({ transactionId: 'tx9', validationCode: 'ENDORSEMENT_POLICY_FAILURE' });
  });

  it('prefers the chaincode message over the gRPC code', () => {
    const err = new EndorseError({
      code: grpc.status.ABORTED,
      cause: serviceError(grpc.status.ABORTED, 'failed'),
      transactionId: 't',
      details: [{ address: 'a', mspId: 'm', message: 'chaincode response 500, record r1 already exists' }],
    });
    expect(fabricErrorToApiError(err)?.code).toBe('ALREADY_EXISTS');
  });

  it.each([
    [grpc.status.UNAVAILABLE, 503, 'PEER_UNAVAILABLE'],
    [grpc.status.CANCELLED, 503, 'PEER_UNAVAILABLE'],
    [grpc.status.DEADLINE_EXCEEDED, 504, 'PEER_TIMEOUT'],
    [grpc.status.FAILED_PRECONDITION, 502, 'FABRIC_ERROR'],
    [grpc.status.ABORTED, 502, 'FABRIC_ERROR'],
  ])('maps gRPC status %d to %d', (code, status, apiCode) => {
    const err = fabricErrorToApiError(gatewayError(code, 'peer said something'));
    expect([err?.status, err?.code]).toEqual([status, apiCode]);
    expect(err?.message).not.toContain('peer said something');
  });

  it("maps the peers' refusal of the signing identity (a revoked certificate) to 403, naming the endorser", () => {
    const refusal = 'access denied: channel [egov] creator org unknown, creator is malformed';
    const err = new EndorseError({
      code: grpc.status.ABORTED,
      cause: serviceError(
        grpc.status.ABORTED,
        'failed to endorse transaction, see attached details for more info',
      ),
      transactionId: 't',
      details: [{ address: 'a', mspId: 'EducationMSP', message: refusal }],
    });
    const mapped = fabricErrorToApiError(err);
    expect([mapped?.status, mapped?.code]).toEqual([403, 'FORBIDDEN']);
    expect(mapped?.message).toContain('it may have been revoked');
    expect(mapped?.extensions).toMatchObject({ endorsers: [{ mspId: 'EducationMSP', message: refusal }] });
    expect(
      fabricErrorToApiError(gatewayError(grpc.status.UNKNOWN, `evaluate failed: ${refusal}`))?.status,
    ).toBe(403);
  });

  it('names endorsers whose results differed; a refusal among them decides the answer', () => {
    const mismatch = 'ProposalResponsePayloads do not match';
    const collect = 'failed to collect enough transaction endorsements, see attached details for more info';
    const differed = gatewayError(grpc.status.ABORTED, collect, [mismatch]);
    expect(endorsersDisagreed(differed)).toBe(true);
    const mapped = fabricErrorToApiError(differed);
    expect([mapped?.status, mapped?.code]).toEqual([502, 'FABRIC_ERROR']);
    expect(mapped?.message).toContain('returned different results');
    expect(mapped?.message).toContain('nothing was ordered');

    const refusedToo = gatewayError(grpc.status.ABORTED, collect, [
      mismatch,
      'chaincode response 500, record r1 already exists',
    ]);
    expect(endorsersDisagreed(refusedToo)).toBe(true);
    expect(fabricErrorToApiError(refusedToo)?.code).toBe('ALREADY_EXISTS');
  });

  it('tells a refusal some endorser contradicted (a peer behind) from one they all agree on', () => {
    const missing = 'chaincode response 500, record r1 does not exist';
    const collect = 'failed to collect enough transaction endorsements, see attached details for more info';
    const first = 'failed to endorse transaction, see attached details for more info';
    // gatewayError's details all come from ImmigrationMSP
    expect(endorsersDisagreed(gatewayError(grpc.status.ABORTED, collect, [missing]))).toBe(true);
    expect(endorsersDisagreed(gatewayError(grpc.status.ABORTED, first, [missing]))).toBe(false);
    expect(
      endorsersDisagreed(gatewayError(grpc.status.ABORTED, collect, [missing]), ['ImmigrationMSP']),
    ).toBe(false);
    expect(
      endorsersDisagreed(gatewayError(grpc.status.ABORTED, collect, [missing]), [
        'ImmigrationMSP',
        'HealthMSP',
      ]),
    ).toBe(true);
    expect(endorsersDisagreed(gatewayError(grpc.status.ABORTED, collect, ['access denied']))).toBe(false);
    expect(endorsersDisagreed(gatewayError(grpc.status.ABORTED, collect))).toBe(false);
    expect(endorsersDisagreed(new Error(collect))).toBe(false);
  });

  it('maps a raw gRPC ServiceError too', () => {
    expect(fabricErrorToApiError(serviceError(grpc.status.UNAVAILABLE, 'down'))?.status).toBe(503);
  });

  it('leaves other errors alone', () => {
    expect(fabricErrorToApiError(new Error('bug'))).toBeUndefined();
    expect(fabricErrorToApiError('string')).toBeUndefined();
  });
});

describe('names', () => {
  it('names validation codes and gRPC statuses', () => {
    expect(validationCodeName(11)).toBe('MVCC_READ_CONFLICT');
    expect(validationCodeName(99)).toBe('UNKNOWN_VALIDATION_CODE_99');
    expect(grpcStatusName(14)).toBe('UNAVAILABLE');
  });
});
