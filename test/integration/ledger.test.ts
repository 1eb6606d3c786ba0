import { createHash, randomBytes } from 'node:crypto';
import { common, ledger as ledgerProtos, peer } from '@hyperledger/fabric-protos';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { testNetwork } from '../support/devnet';
import { connectGateway } from '../support/gateway';
import { connectLegacy, invokeLegacy, queryLegacy, type LegacyClient } from '../support/legacy';
import { expectedHash, saltTransient } from '../support/records';

// Issue 10 on the devnet: schemas, personal data in the issuer's implicit collection, and the
// record key's endorsement policy that keeps every other ministry from changing a record.
describe('ledger: records with schemas, private data and issuer-only changes', () => {
  const run = randomBytes(4).toString('hex');
  const recordType = 'education.transcript';
  const schema = {
    type: 'object',
    required: ['programme', 'year', 'fullName'],
    additionalProperties: false,
    properties: {
      programme: { type: 'string' },
      year: { type: 'integer', minimum: 1900 },
      credits: { type: 'integer' },
      fullName: { type: 'string' },
      birthDate: { type: 'string', format: 'date' },
    },
  };
  // unique strings, so that finding them anywhere in a block can only mean a leak
  const personal = { fullName: `Ana Lima ${run}`, birthDate: '2001-04-09' };
  const id = `it-ledger-${run}`;
  const amendedId = `${id}-v2`;
  const payload = { programme: 'BSc Computer Science', year: 2024, credits: 180 };
  const amendedPayload = { ...payload, credits: 185 };

  let net: NetworkDescriptor;
  let eduAdmin: LegacyClient;
  let healthUser: LegacyClient;
  let lastBlock = 0;

  beforeAll(async () => {
    net = testNetwork();
    eduAdmin = await connectLegacy(net, 'EducationMSP', 'admin');
    healthUser = await connectLegacy(net, 'HealthMSP');
    const registered = await invokeLegacy(
      eduAdmin,
      ['EducationMSP', 'ImmigrationMSP', 'HealthMSP'],
      'schemas:RegisterSchema',
      [recordType, JSON.stringify({ schema, personalFields: ['fullName', 'birthDate'] })],
    );
    expect(registered.validationCode).toBe('VALID');
  });

  afterAll(() => {
    eduAdmin?.close();
    healthUser?.close();
  });

  it('registers a record with personal data in the transient map and verifies it by hash on another ministry', async () => {
    const record = {
      id,
      category: 'G2C',
      recordType,
      subjectRef: `psn:${createHash('sha256').update(id).digest('hex').slice(0, 32)}`,
      payload,
    };
    const result = await invokeLegacy(
      eduAdmin,
      ['EducationMSP', 'ImmigrationMSP', 'HealthMSP'],
      'ledger:RegisterRecord',
      [JSON.stringify(record)],
      saltTransient(id, personal),
    );
    expect(result.validationCode).toBe('VALID');
    lastBlock = Math.max(lastBlock, result.blockNumber);
    const hash = expectedHash(id, { ...payload, ...personal });
    expect(JSON.parse(result.payload)).toMatchObject({ id, hash, status: 'ACTIVE', version: 1 });

    const verified = JSON.parse(await queryLegacy(healthUser, 'HealthMSP', 'ledger:VerifyHash', [hash]));
    expect(verified).toMatchObject({
      found: true,
      id,
      status: 'ACTIVE',
      issuerMsp: 'EducationMSP',
      recordType,
      registeredTxId: result.txId,
    });
  });

  it('refuses a document that breaks the schema, naming the JSON pointer', async () => {
    const bad = {
      id: `${id}-bad`,
      category: 'G2C',
      recordType,
      subjectRef: `psn:${'b'.repeat(32)}`,
      payload: { programme: 'X', year: 1800 },
    };
    await expect(
      invokeLegacy(
        eduAdmin,
        ['EducationMSP', 'ImmigrationMSP', 'HealthMSP'],
        'ledger:RegisterRecord',
        [JSON.stringify(bad)],
        saltTransient(bad.id, personal),
      ),
    ).rejects.toThrow(/document does not match schema education\.transcript v\d+: \/year must be >= 1900/);
  });

  it('amends the record; the history shows both versions', async () => {
    const amendment = { newId: amendedId, payload: amendedPayload, reason: 'credits corrected' };
    const result = await invokeLegacy(
      eduAdmin,
      ['EducationMSP', 'HealthMSP', 'CentralBankMSP'],
      'ledger:AmendRecord',
      [id, JSON.stringify(amendment)],
      saltTransient(amendedId, personal),
    );
    expect(result.validationCode).toBe('VALID');
    lastBlock = Math.max(lastBlock, result.blockNumber);
    expect(JSON.parse(result.payload)).toMatchObject({ id: amendedId, version: 2, supersedes: id });

    const history = JSON.parse(
      await queryLegacy(healthUser, 'ImmigrationMSP', 'ledger:GetRecordHistory', [amendedId]),
    ) as {
      recordId: string;
      record: { status: string; version: number };
    }[];
    expect(history.map((c) => [c.recordId, c.record.status, c.record.version])).toEqual([
      [id, 'ACTIVE', 1],
      [id, 'SUPERSEDED', 1],
      [amendedId, 'ACTIVE', 2],
    ]);
  });

  it("refuses another ministry's client at endorsement with an error naming the issuer", async () => {
    await expect(
      invokeLegacy(healthUser, ['HealthMSP', 'ImmigrationMSP', 'CentralBankMSP'], 'ledger:RevokeRecord', [
        amendedId,
        'not ours',
      ]),
    ).rejects.toThrow(
      /record .* was issued by EducationMSP; only EducationMSP may revoke it \(the caller is from HealthMSP\)/,
    );
  });

  it('commits a revoke endorsed only by other ministries as ENDORSEMENT_POLICY_FAILURE and changes nothing', async () => {
    // the issuer's own client, but its peer is left out: the record key's policy needs it (the
    // other three make a majority, which would satisfy the chaincode's policy)
    const result = await invokeLegacy(
      eduAdmin,
      ['ImmigrationMSP', 'HealthMSP', 'CentralBankMSP'],
      'ledger:RevokeRecord',
      [amendedId, 'bypassing the issuer peer'],
    );
    expect(result.validationCode).toBe('ENDORSEMENT_POLICY_FAILURE');
    lastBlock = Math.max(lastBlock, result.blockNumber);
    for (const msp of ['EducationMSP', 'ImmigrationMSP', 'HealthMSP']) {
      const stored = JSON.parse(await queryLegacy(healthUser, msp, 'ledger:GetRecord', [amendedId]));
      expect(stored).toMatchObject({ status: 'ACTIVE', version: 2 });
    }
  });

  it('revokes when the issuer endorses; verify reports REVOKED', async () => {
    const result = await invokeLegacy(
      eduAdmin,
      ['EducationMSP', 'HealthMSP', 'CentralBankMSP'],
      'ledger:RevokeRecord',
      [amendedId, 'issued in error'],
    );
    expect(result.validationCode).toBe('VALID');
    lastBlock = Math.max(lastBlock, result.blockNumber);
    const hash = expectedHash(amendedId, { ...amendedPayload, ...personal });
    const verified = JSON.parse(await queryLegacy(healthUser, 'HealthMSP', 'ledger:VerifyHash', [hash]));
    expect(verified).toMatchObject({ found: true, id: amendedId, status: 'REVOKED', txId: result.txId });
    const byId = JSON.parse(await queryLegacy(healthUser, 'ImmigrationMSP', 'ledger:VerifyRecord', [id]));
    expect(byId).toMatchObject({ found: true, status: 'SUPERSEDED', supersededBy: amendedId });
  });

  it('lets the issuing ministry read the personal data back, on its own peer only', async () => {
    const read = JSON.parse(await queryLegacy(eduAdmin, 'EducationMSP', 'ledger:GetPersonalData', [id]));
    expect(read).toMatchObject({ id, collection: '_implicit_org_EducationMSP', personal });
    await expect(queryLegacy(eduAdmin, 'HealthMSP', 'ledger:GetPersonalData', [id])).rejects.toThrow(
      /is not held by this peer/,
    );
    await expect(queryLegacy(healthUser, 'HealthMSP', 'ledger:GetPersonalData', [id])).rejects.toThrow(
      /only EducationMSP may read its personal data/,
    );
    const onLedger = JSON.parse(
      await queryLegacy(healthUser, 'HealthMSP', 'ledger:VerifyPersonalDataHash', [id]),
    );
    expect(onLedger).toEqual({ id, hasPersonalData: true, matches: true });
  });

  it('keeps personal data out of every block: no personal value in any block, no transient map, only collection hashes', async () => {
    const gw = connectGateway(net, 'ImmigrationMSP');
    const blocks = await gw.gateway.getNetwork(net.channel).getBlockEvents({ startBlock: BigInt(0) });
    let hashedCollectionWrites = 0;
    try {
      for await (const block of blocks) {
        const bytes = Buffer.from(block.serializeBinary());
        for (const value of Object.values(personal)) {
          expect(bytes.includes(Buffer.from(value))).toBe(false);
        }
        for (const envelopeBytes of block.getData()!.getDataList_asU8()) {
          hashedCollectionWrites += inspectEnvelope(envelopeBytes);
        }
        if (Number(block.getHeader()!.getNumber()) >= lastBlock) break;
      }
    } finally {
      blocks.close();
      gw.close();
    }
    // register and amend each wrote one hashed key to Education's implicit collection
    expect(hashedCollectionWrites).toBeGreaterThanOrEqual(2);
  });
});

/**
 * Decodes one transaction of a block: the proposal payload in it must have no transient map, and
 * what it wrote to private data must appear only as hashes.
 * @returns how many hashed writes it made to `_implicit_org_EducationMSP`.
 */
function inspectEnvelope(envelopeBytes: Uint8Array): number {
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8(),
  );
  const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8());
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return 0;
  let writes = 0;
  for (const action of peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()) {
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const proposalPayload = peer.ChaincodeProposalPayload.deserializeBinary(
      actionPayload.getChaincodeProposalPayload_asU8(),
    );
    expect(proposalPayload.getTransientmapMap().getLength()).toBe(0);
    const responsePayload = peer.ProposalResponsePayload.deserializeBinary(
      actionPayload.getAction()!.getProposalResponsePayload_asU8(),
    );
    const chaincodeAction = peer.ChaincodeAction.deserializeBinary(responsePayload.getExtension_asU8());
    const rwset = ledgerProtos.rwset.TxReadWriteSet.deserializeBinary(chaincodeAction.getResults_asU8());
    for (const ns of rwset.getNsRwsetList()) {
      for (const coll of ns.getCollectionHashedRwsetList()) {
        if (coll.getCollectionName() !== '_implicit_org_EducationMSP') continue;
        const hashed = ledgerProtos.rwset.kvrwset.HashedRWSet.deserializeBinary(coll.getHashedRwset_asU8());
        writes += hashed.getHashedWritesList().length;
        for (const w of hashed.getHashedWritesList()) expect(w.getValueHash_asU8()).toHaveLength(32);
      }
    }
  }
  return writes;
}
