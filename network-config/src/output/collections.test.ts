import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildNetworkDescriptor } from './descriptor';
import {
  accountsCollection,
  buildCollectionsConfig,
  collectionsConfigPath,
  writeCollectionsConfig,
} from './collections';
import { loadMinistries, parseMinistries } from '../ministries/load';

describe('account collections of the central bank', () => {
  it('names a ministry collection as the chaincode does (pinned on both sides)', () => {
    expect(accountsCollection('EducationMSP')).toBe('accountsEducationMSP');
  });

  it('gives every organization but the central bank one collection shared with the central bank', () => {
    const config = buildCollectionsConfig(['ImmigrationMSP', 'EducationMSP', 'CentralBankMSP']);
    expect(config).toEqual([
      {
        name: 'accountsImmigrationMSP',
        policy: "OR('CentralBankMSP.member','ImmigrationMSP.member')",
        requiredPeerCount: 0,
        maxPeerCount: 1,
        blockToLive: 0,
        memberOnlyRead: true,
        memberOnlyWrite: true,
        endorsementPolicy: { signaturePolicy: "OR('CentralBankMSP.peer','ImmigrationMSP.peer')" },
      },
      {
        name: 'accountsEducationMSP',
        policy: "OR('CentralBankMSP.member','EducationMSP.member')",
        requiredPeerCount: 0,
        maxPeerCount: 1,
        blockToLive: 0,
        memberOnlyRead: true,
        memberOnlyWrite: true,
        endorsementPolicy: { signaturePolicy: "OR('CentralBankMSP.peer','EducationMSP.peer')" },
      },
    ]);
  });

  it('has no collections without a central bank', () => {
    expect(buildCollectionsConfig(['ImmigrationMSP', 'EducationMSP'])).toEqual([]);
  });

  it('covers the default list: the three ministries, and the descriptor points at the file', () => {
    const config = loadMinistries();
    const names = buildCollectionsConfig(config.ministries.map((m) => m.mspId)).map((c) => c.name);
    expect(names).toEqual(['accountsImmigrationMSP', 'accountsEducationMSP', 'accountsHealthMSP']);
    const home = path.join(os.tmpdir(), 'gf-collections');
    expect(buildNetworkDescriptor(home, config).collectionsConfigPath).toBe(
      path.join(home, 'collections', 'egov.json'),
    );
  });

  it('writes the peer CLI JSON file only for a network with a central bank', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'gf-collections-'));
    try {
      const withBank = buildNetworkDescriptor(home, loadMinistries());
      const written = writeCollectionsConfig(withBank);
      expect(JSON.parse(fs.readFileSync(collectionsConfigPath(home, 'egov'), 'utf8'))).toEqual(written);
      expect(written).toHaveLength(3);

      const other = path.join(home, 'other');
      const without = buildNetworkDescriptor(
        other,
        parseMinistries(
          'ministries:\n  - { mspId: ImmigrationMSP, name: Immigration, domain: immigration.egov.local }\n',
        ),
      );
      expect(without.collectionsConfigPath).toBeUndefined();
      expect(writeCollectionsConfig(without)).toEqual([]);
      expect(fs.existsSync(path.join(other, 'collections'))).toBe(false);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
