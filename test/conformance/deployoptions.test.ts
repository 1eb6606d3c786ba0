import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { REPO } from '../support/devnet';
import type { LegacyClient } from '../support/legacy';
import { closeAdmins, connectAdmins, queryCommittedArgs, sccQuery } from './lifecyclesupport';
import {
  conformanceNetwork,
  devnet,
  errorText,
  itOnDevnet,
  uniqueKey,
  type GatewayConnection,
} from './support';

const lb = peer.lifecycle;

// `devnet deploy` takes the definition options of `peer lifecycle chaincode approveformyorg/commit`
// (--signature-policy, --channel-config-policy, --collections-config, --init-required, --version,
// --sequence) and upgrades a deployed chaincode. Devnet only: on Fabric the peer CLI deploys.
describe('devnet deploy definition options', () => {
  const c = conformanceNetwork();
  const [A, , C] = c.mspIds;
  const name = 'ccopts';
  const folder = path.join(REPO, 'test', 'fixtures', 'conformance-cc');
  let admins: Map<string, LegacyClient>;
  let gw: GatewayConnection;
  let dir: string;

  beforeAll(async () => {
    if (c.kind !== 'devnet') return;
    admins = await connectAdmins(c);
    gw = c.gateway(A);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccopts-'));
  });
  afterAll(() => {
    if (c.kind !== 'devnet') return;
    closeAdmins(admins);
    gw.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function committed(mspId: string): Promise<peer.lifecycle.QueryChaincodeDefinitionResult> {
    const r = await sccQuery(admins.get(mspId)!, c.channel, mspId, '_lifecycle', [
      'QueryChaincodeDefinition',
      queryCommittedArgs(name),
    ]);
    expect(r.message).toBe('');
    return lb.QueryChaincodeDefinitionResult.deserializeBinary(r.payload);
  }

  /** Submits Put endorsed by the org's peers only; resolves with the commit's validation code name. */
  async function putEndorsedBy(mspId: string): Promise<string> {
    const contract = gw.gateway.getNetwork(c.channel).getContract(name);
    const submitted = await contract
      .submitAsync('Put', { arguments: [uniqueKey('opt'), 'v'], endorsingOrganizations: [mspId] })
      .catch((e: unknown) => Promise.reject(new Error(errorText(e))));
    const status = await submitted.getStatus();
    return (
      Object.entries(peer.TxValidationCode).find(([, v]) => v === status.code)?.[0] ?? String(status.code)
    );
  }

  itOnDevnet(c)(
    'commits the given signature policy and collections, then upgrades by --version and --sequence',
    async () => {
      const collection = (n: string, mspId: string): object => ({
        name: n,
        policy: `OR('${mspId}.member')`,
        requiredPeerCount: 0,
        maxPeerCount: 0,
        blockToLive: 0,
        memberOnlyRead: true,
      });
      const collections = path.join(dir, 'collections.json');
      fs.writeFileSync(collections, JSON.stringify([collection('OptionsOnly', A)]));
      devnet(
        c,
        `deploy ${name} ${folder} 200 --signature-policy=OR('${C}.peer') --collections-config=${collections}`,
      );
      const first = await committed(A);
      expect([first.getVersion(), first.getSequence(), first.getInitRequired()]).toEqual(['1.0', 1, false]);
      const ap = common.ApplicationPolicy.deserializeBinary(first.getValidationParameter_asU8());
      const principals = ap.getSignaturePolicy()?.getIdentitiesList() ?? [];
      expect(
        principals.map((p) => msp.MSPRole.deserializeBinary(p.getPrincipal_asU8()).getMspIdentifier()),
      ).toEqual([C]);
      expect(
        first
          .getCollections()
          ?.getConfigList()
          .map((x) => x.getStaticCollectionConfig()?.getName()),
      ).toEqual(['OptionsOnly']);
      // The signature policy is the one enforced: C's endorsement commits, A's alone does not.
      expect(await putEndorsedBy(C)).toBe('VALID');
      expect(await putEndorsedBy(A)).toBe('ENDORSEMENT_POLICY_FAILURE');

      // A sequence the peers cannot take is refused with their reason.
      expect(() =>
        devnet(c, `deploy ${name} ${folder} 200 --sequence=5 --collections-config=${collections}`),
      ).toThrow(/requested sequence 5 is larger than the next available sequence number 2/);

      // An upgrade may add a collection, never drop one (Fabric refuses that).
      const more = path.join(dir, 'more.json');
      fs.writeFileSync(more, JSON.stringify([collection('OptionsOnly', A), collection('OptionsAdded', C)]));
      devnet(
        c,
        `deploy ${name} ${folder} 200 --version=2.0 --sequence=2 --channel-config-policy=/Channel/Application/Writers --init-required --collections-config=${more}`,
      );
      for (const mspId of c.mspIds) {
        const d = await committed(mspId);
        expect([d.getVersion(), d.getSequence(), d.getInitRequired()]).toEqual(['2.0', 2, true]);
        expect(
          common.ApplicationPolicy.deserializeBinary(
            d.getValidationParameter_asU8(),
          ).getChannelConfigPolicyReference(),
        ).toBe('/Channel/Application/Writers');
        expect(
          d
            .getCollections()
            ?.getConfigList()
            .map((x) => x.getStaticCollectionConfig()?.getName()),
        ).toEqual(['OptionsOnly', 'OptionsAdded']);
      }
      // --init-required: the first invocation must be an Init.
      await expect(putEndorsedBy(A)).rejects.toThrow(
        /has not been initialized for this version, must call as init first/,
      );
    },
  );
});
