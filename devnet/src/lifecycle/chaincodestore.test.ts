import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeCcaasPackage } from './ccaaspackage';
import { ChaincodeStore, CodePackageNotFoundError } from './chaincodestore';
import { collectionsFromProto, collectionsToProto } from './collectionsconfig';

describe('installed chaincode packages', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccstore-test-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('installs once, survives a reopen, and serves the connection of a ccaas package', async () => {
    const pkg = await writeCcaasPackage(path.join(dir, 'p.tar.gz'), 'cc_1', {
      address: '127.0.0.1:7052',
      dial_timeout: '10s',
      tls_required: false,
    });
    const bytes = fs.readFileSync(pkg.file);
    const store = await ChaincodeStore.open(path.join(dir, 'store'));
    const ic = await store.install(bytes);
    expect([ic.packageId, ic.label]).toEqual([pkg.packageId, 'cc_1']);
    await expect(store.install(bytes)).rejects.toThrow(
      `chaincode already successfully installed (package ID '${pkg.packageId}')`,
    );

    const reopened = await ChaincodeStore.open(path.join(dir, 'store'));
    expect(reopened.list().map((x) => x.packageId)).toEqual([pkg.packageId]);
    expect(Buffer.from(reopened.load(pkg.packageId))).toEqual(bytes);
    expect(reopened.endpoint(pkg.packageId)).toEqual({ address: '127.0.0.1:7052' });
    expect(() => reopened.load('x:00')).toThrow(CodePackageNotFoundError);
  });

  it('refuses what is not a chaincode package', async () => {
    const store = await ChaincodeStore.open(path.join(dir, 'store'));
    await expect(store.install(Buffer.from('not a tarball'))).rejects.toThrow(
      /could not parse as a chaincode install package/,
    );
    await expect(store.install(new Uint8Array())).rejects.toThrow(/empty package/);
  });
});

describe('collections config', () => {
  it('turns the peer CLI JSON into a CollectionConfigPackage and back', () => {
    const json = [
      {
        name: 'shared',
        policy: "OR('AMSP.member', 'BMSP.member')",
        requiredPeerCount: 1,
        maxPeerCount: 2,
        blockToLive: 10,
        memberOnlyRead: true,
        memberOnlyWrite: false,
        endorsementPolicy: { signaturePolicy: "AND('AMSP.peer', 'BMSP.peer')" },
      },
    ];
    const pkg = collectionsToProto(json);
    const s = pkg.getConfigList()[0].getStaticCollectionConfig()!;
    expect([
      s.getName(),
      s.getRequiredPeerCount(),
      s.getMaximumPeerCount(),
      s.getBlockToLive(),
      s.getMemberOnlyRead(),
    ]).toEqual(['shared', 1, 2, 10, true]);
    expect(collectionsFromProto(pkg)).toEqual([{ ...json[0], policy: "OR('AMSP.member', 'BMSP.member')" }]);
    expect(collectionsToProto(undefined).getConfigList()).toHaveLength(0);
  });
});
