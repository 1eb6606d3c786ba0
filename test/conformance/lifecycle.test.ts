import { peer } from '@hyperledger/fabric-protos';
import type { LegacyClient } from '../support/legacy';
import {
  approveArgs,
  ccaasPackage,
  closeAdmins,
  commitArgs,
  connectAdmins,
  lifecycleSubmit,
  peerOfPolicy,
  queryApprovedArgs,
  queryCommittedArgs,
  readinessArgs,
  sccQuery,
  type Definition,
} from './lifecyclesupport';
import {
  conformanceNetwork,
  errorText,
  fabricMajor,
  legacyInvoke,
  majorityOf,
  uniqueKey,
  type GatewayConnection,
} from './support';

const lb = peer.lifecycle;

// Fabric's chaincode lifecycle through the `_lifecycle` system chaincode, as `peer lifecycle chaincode ...`
// drives it: install on a peer (channel-less, local admins), approve per org (the org's implicit
// collection), check commit readiness from the approvals' hashes, commit under the channel's
// LifecycleEndorsement policy (MAJORITY), upgrade by sequence + 1.
describe('chaincode lifecycle (_lifecycle)', () => {
  const c = conformanceNetwork();
  const [A, B, C] = c.mspIds;
  // A majority that leaves C out (A, B with three organizations; A, B, D with four).
  const quorum = majorityOf(c.mspIds, C);
  /** The approvals map of a definition that exactly `approved` approved. */
  const approvals = (approved: string[]): Record<string, boolean> =>
    Object.fromEntries(c.mspIds.map((m) => [m, approved.includes(m)]));
  let admins: Map<string, LegacyClient>;
  const admin = (mspId: string): LegacyClient => admins.get(mspId)!;

  beforeAll(async () => {
    admins = await connectAdmins(c);
  });
  afterAll(() => closeAdmins(admins));

  /** A chaincode name unique to this run (names allow alphanumerics, '-' and '_'). */
  const ccName = (prefix: string): string => uniqueKey(prefix).replace(/[^A-Za-z0-9-]/g, '');

  async function querycommitted(
    mspId: string,
    name: string,
  ): Promise<{ status: number; message: string; result?: peer.lifecycle.QueryChaincodeDefinitionResult }> {
    const r = await sccQuery(admin(mspId), c.channel, mspId, '_lifecycle', [
      'QueryChaincodeDefinition',
      queryCommittedArgs(name),
    ]);
    return {
      status: r.status,
      message: r.message,
      result: r.status === 200 ? lb.QueryChaincodeDefinitionResult.deserializeBinary(r.payload) : undefined,
    };
  }

  async function readiness(mspId: string, d: Definition): Promise<Record<string, boolean>> {
    const r = await sccQuery(admin(mspId), c.channel, mspId, '_lifecycle', [
      'CheckCommitReadiness',
      readinessArgs(d),
    ]);
    expect(r.message).toBe('');
    expect(r.status).toBe(200);
    return Object.fromEntries(
      lb.CheckCommitReadinessResult.deserializeBinary(r.payload).getApprovalsMap().toArray(),
    );
  }

  async function approve(mspId: string, d: Definition, packageId = ''): Promise<string | undefined> {
    const out = await lifecycleSubmit(
      admin(mspId),
      [mspId],
      'ApproveChaincodeDefinitionForMyOrg',
      approveArgs(d, packageId),
    );
    const answer = out.answers.get(mspId)!;
    if (answer.status !== 200) throw new Error(`approve by ${mspId}: ${answer.status} ${answer.message}`);
    return out.validationCode;
  }

  /** The package each org approved for the conformance chaincode (so a new definition can run it). */
  async function conformancePackages(): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const mspId of c.mspIds) {
      const r = await sccQuery(admin(mspId), c.channel, mspId, '_lifecycle', [
        'QueryApprovedChaincodeDefinition',
        queryApprovedArgs(c.chaincode),
      ]);
      expect(r.status).toBe(200);
      const id = lb.QueryApprovedChaincodeDefinitionResult.deserializeBinary(r.payload)
        .getSource()
        ?.getLocalPackage()
        ?.getPackageId();
      expect(id).toMatch(/^conformance_.+:[0-9a-f]{64}$/);
      ids.set(mspId, id!);
    }
    return ids;
  }

  it('installs a ccaas package on a peer for its admins only, with the package id label:sha256, once', async () => {
    const label = ccName('lcpkg');
    const pkg = await ccaasPackage(label, '127.0.0.1:1');
    const install = (legacy: LegacyClient) =>
      sccQuery(legacy, '', A, '_lifecycle', [
        'InstallChaincode',
        (() => {
          const a = new lb.InstallChaincodeArgs();
          a.setChaincodeInstallPackage(pkg.bytes);
          return a.serializeBinary();
        })(),
      ]);

    const user = await import('../support/legacy').then((m) => m.connectLegacy(c.net, A, 'user'));
    try {
      const refused = await install(user);
      expect(refused.status).toBe(500);
      expect(refused.message).toMatch(/^Failed to authorize invocation due to failed ACL check: /);
    } finally {
      user.close();
    }

    const first = await install(admin(A));
    expect(first.status).toBe(200);
    const result = lb.InstallChaincodeResult.deserializeBinary(first.payload);
    expect(result.getPackageId()).toBe(pkg.packageId);
    expect(result.getLabel()).toBe(label);

    const again = await install(admin(A));
    expect(again.status).toBe(500);
    expect(again.message).toBe(
      `failed to invoke backing implementation of 'InstallChaincode': chaincode already successfully installed (package ID '${pkg.packageId}')`,
    );

    const qi = new lb.QueryInstalledChaincodeArgs();
    qi.setPackageId(pkg.packageId);
    const queried = await sccQuery(admin(A), '', A, '_lifecycle', [
      'QueryInstalledChaincode',
      qi.serializeBinary(),
    ]);
    expect(queried.status).toBe(200);
    expect(lb.QueryInstalledChaincodeResult.deserializeBinary(queried.payload).getLabel()).toBe(label);

    const get = new lb.GetInstalledChaincodePackageArgs();
    get.setPackageId(pkg.packageId);
    const fetched = await sccQuery(admin(A), '', A, '_lifecycle', [
      'GetInstalledChaincodePackage',
      get.serializeBinary(),
    ]);
    expect(
      Buffer.from(
        lb.GetInstalledChaincodePackageResult.deserializeBinary(
          fetched.payload,
        ).getChaincodeInstallPackage_asU8(),
      ),
    ).toEqual(pkg.bytes);

    const list = await sccQuery(admin(A), '', A, '_lifecycle', [
      'QueryInstalledChaincodes',
      new lb.QueryInstalledChaincodesArgs().serializeBinary(),
    ]);
    const ids = lb.QueryInstalledChaincodesResult.deserializeBinary(list.payload)
      .getInstalledChaincodesList()
      .map((x) => x.getPackageId());
    expect(ids).toContain(pkg.packageId);

    // A package this peer never installed: Fabric's lifecycle cache answers a plain error (500, not 404).
    qi.setPackageId(`${label}:${'0'.repeat(64)}`);
    const missing = await sccQuery(admin(A), '', A, '_lifecycle', [
      'QueryInstalledChaincode',
      qi.serializeBinary(),
    ]);
    expect(missing.status).toBe(500);
    expect(missing.message).toBe(
      `failed to invoke backing implementation of 'QueryInstalledChaincode': could not find chaincode with package id '${label}:${'0'.repeat(64)}'`,
    );
  });

  it('approves per org, reports readiness from the approvals, and commits only under MAJORITY LifecycleEndorsement', async () => {
    const d: Definition = { name: ccName('lc'), version: '1.0', sequence: 1 };
    const notDefined = await querycommitted(A, d.name);
    expect(notDefined.status).toBe(404);
    expect(notDefined.message).toBe(`namespace ${d.name} is not defined`);

    expect(await approve(A, d)).toBe('VALID');
    expect(await readiness(B, d)).toEqual(approvals([A]));

    // A different definition (other version) is not what A approved.
    expect(await readiness(A, { ...d, version: '2.0' })).toEqual(approvals([]));

    // B's peer will not endorse a commit B has not approved.
    const refused = await lifecycleSubmit(admin(A), [A, B], 'CommitChaincodeDefinition', commitArgs(d));
    expect(refused.answers.get(A)!.status).toBe(200);
    expect(refused.answers.get(B)!.status).toBe(500);
    expect(refused.answers.get(B)!.message).toBe(
      `failed to invoke backing implementation of 'CommitChaincodeDefinition': chaincode definition not agreed to by this org (${B})`,
    );

    // One org's endorsement does not satisfy MAJORITY LifecycleEndorsement: invalid at commit.
    const alone = await lifecycleSubmit(admin(A), [A], 'CommitChaincodeDefinition', commitArgs(d));
    expect(alone.validationCode).toBe('ENDORSEMENT_POLICY_FAILURE');
    expect((await querycommitted(A, d.name)).status).toBe(404);

    for (const m of quorum.filter((m) => m !== A)) expect(await approve(m, d)).toBe('VALID');
    expect(await readiness(C, d)).toEqual(approvals(quorum));
    const committed = await lifecycleSubmit(admin(A), quorum, 'CommitChaincodeDefinition', commitArgs(d));
    expect(committed.validationCode).toBe('VALID');

    for (const mspId of c.mspIds) {
      const q = await querycommitted(mspId, d.name);
      expect(q.status).toBe(200);
      expect(q.result!.getSequence()).toBe(1);
      expect(q.result!.getVersion()).toBe('1.0');
      expect(q.result!.getEndorsementPlugin()).toBe('escc');
      expect(q.result!.getValidationPlugin()).toBe('vscc');
      const policy = peer.ApplicationPolicy.deserializeBinary(q.result!.getValidationParameter_asU8());
      expect(policy.getChannelConfigPolicyReference()).toBe('/Channel/Application/Endorsement');
      expect(Object.fromEntries(q.result!.getApprovalsMap().toArray())).toEqual(approvals(quorum));
    }

    // QueryChaincodeDefinitions lists it.
    const all = await sccQuery(admin(C), c.channel, C, '_lifecycle', [
      'QueryChaincodeDefinitions',
      new lb.QueryChaincodeDefinitionsArgs().serializeBinary(),
    ]);
    const names = lb.QueryChaincodeDefinitionsResult.deserializeBinary(all.payload)
      .getChaincodeDefinitionsList()
      .map((x) => x.getName());
    expect(names).toEqual(expect.arrayContaining([d.name, c.chaincode]));
  });

  it("keeps Fabric's sequence rules and errors", async () => {
    const d: Definition = { name: ccName('lcseq'), version: '1', sequence: 1 };
    const tooFar = await lifecycleSubmit(
      admin(A),
      [A],
      'ApproveChaincodeDefinitionForMyOrg',
      approveArgs({ ...d, sequence: 3 }, ''),
    );
    expect(tooFar.answers.get(A)!.message).toBe(
      `failed to invoke backing implementation of 'ApproveChaincodeDefinitionForMyOrg': requested sequence 3 is larger than the next available sequence number 1`,
    );

    const zero = await lifecycleSubmit(
      admin(A),
      [A],
      'ApproveChaincodeDefinitionForMyOrg',
      approveArgs({ ...d, sequence: 0 }, ''),
    );
    expect(zero.answers.get(A)!.message).toMatch(
      /requested sequence is 0, but first definable sequence number is 1$/,
    );

    const badName = await lifecycleSubmit(
      admin(A),
      [A],
      'ApproveChaincodeDefinitionForMyOrg',
      approveArgs({ ...d, name: 'qscc' }, ''),
    );
    expect(badName.answers.get(A)!.message).toMatch(
      /chaincode name 'qscc' is the name of a system chaincode$/,
    );

    for (const m of quorum) await approve(m, d);
    const same = await lifecycleSubmit(
      admin(A),
      [A],
      'ApproveChaincodeDefinitionForMyOrg',
      approveArgs(d, ''),
    );
    expect(same.answers.get(A)!.message).toMatch(
      /attempted to redefine uncommitted sequence \(1\) for namespace .* with unchanged content$/,
    );
    expect(
      (await lifecycleSubmit(admin(A), quorum, 'CommitChaincodeDefinition', commitArgs(d))).validationCode,
    ).toBe('VALID');

    const stale = await sccQuery(admin(A), c.channel, A, '_lifecycle', [
      'CheckCommitReadiness',
      readinessArgs(d),
    ]);
    expect(stale.message).toBe(
      `failed to invoke backing implementation of 'CheckCommitReadiness': requested sequence is 1, but new definition must be sequence 2`,
    );

    const redefine = await lifecycleSubmit(
      admin(A),
      [A],
      'ApproveChaincodeDefinitionForMyOrg',
      approveArgs(d, ''),
    );
    if (fabricMajor(c) === 2)
      // Fabric 2.5 only checks that the parameters equal the committed ones, so the approval endorses
      // (core/chaincode/lifecycle/lifecycle.go); 3.x refuses any re-approval of the committed sequence.
      expect(redefine.answers.get(A)!.message).toBe('');
    else
      expect(redefine.answers.get(A)!.message).toMatch(
        /attempted to redefine the current committed sequence \(1\) for namespace/,
      );

    const differ = await lifecycleSubmit(
      admin(C),
      [C],
      'ApproveChaincodeDefinitionForMyOrg',
      approveArgs({ ...d, version: '9' }, ''),
    );
    expect(differ.answers.get(C)!.message).toMatch(
      /attempted to redefine the current committed sequence \(1\) for namespace .* with different parameters: expected Version '1' does not match passed Version '9'$/,
    );

    // C, late, may still approve the committed definition.
    expect(await approve(C, d)).toBe('VALID');
    const q = await querycommitted(B, d.name);
    expect(Object.fromEntries(q.result!.getApprovalsMap().toArray())).toEqual(approvals(c.mspIds));

    const approved = await sccQuery(admin(C), c.channel, C, '_lifecycle', [
      'QueryApprovedChaincodeDefinition',
      queryApprovedArgs(d.name),
    ]);
    const r = lb.QueryApprovedChaincodeDefinitionResult.deserializeBinary(approved.payload);
    expect([r.getSequence(), r.getVersion(), r.getSource()?.getTypeCase()]).toEqual([
      1,
      '1',
      lb.ChaincodeSource.TypeCase.UNAVAILABLE,
    ]);
  });

  it('runs a committed definition with the package each org approved and enforces its signature endorsement policy', async () => {
    const packages = await conformancePackages();
    const d: Definition = {
      name: ccName('lcsig'),
      version: '1',
      sequence: 1,
      validationParameter: peerOfPolicy([C]),
    };
    for (const m of c.mspIds) await approve(m, d, packages.get(m)!);
    expect(
      (await lifecycleSubmit(admin(A), quorum, 'CommitChaincodeDefinition', commitArgs(d))).validationCode,
    ).toBe('VALID');

    const key = uniqueKey('sig');
    const byA = await legacyInvoke(admin(A), {
      chaincode: d.name,
      endorsers: [A, B],
      fcn: 'Put',
      args: [key, 'a'],
    });
    expect(byA.validationCode).toBe('ENDORSEMENT_POLICY_FAILURE');
    const byC = await legacyInvoke(admin(A), {
      chaincode: d.name,
      endorsers: [C],
      fcn: 'Put',
      args: [key, 'c'],
    });
    expect(byC.validationCode).toBe('VALID');
  });

  it('upgrades by sequence + 1 without stopping the chaincode; a transaction endorsed before the upgrade is an MVCC_READ_CONFLICT', async () => {
    const gw: GatewayConnection = c.gateway(A);
    try {
      const contract = c.contract(gw);
      const before = await querycommitted(A, c.chaincode);
      const current = before.result!;
      const d: Definition = {
        name: c.chaincode,
        version: current.getVersion(),
        sequence: current.getSequence() + 1,
        validationParameter: current.getValidationParameter_asU8(),
        collections: current.getCollections(),
      };
      const key = uniqueKey('upgrade');
      const endorsedBefore = await contract.newProposal('Put', { arguments: [key, 'before'] }).endorse();

      const packages = await conformancePackages();
      for (const m of c.mspIds) await approve(m, d, packages.get(m)!);
      expect(
        (await lifecycleSubmit(admin(A), c.mspIds, 'CommitChaincodeDefinition', commitArgs(d)))
          .validationCode,
      ).toBe('VALID');
      for (const m of c.mspIds)
        expect((await querycommitted(m, c.chaincode)).result!.getSequence()).toBe(d.sequence);

      const late = await endorsedBefore.submit();
      expect((await late.getStatus()).code).toBe(peer.TxValidationCode.MVCC_READ_CONFLICT);

      await contract.submitTransaction('Put', key, 'after');
      expect(Buffer.from(await contract.evaluateTransaction('Get', key)).toString()).toBe('after');
    } catch (err) {
      throw new Error(errorText(err));
    } finally {
      gw.close();
    }
  });
});
