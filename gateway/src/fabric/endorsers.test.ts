import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadTransientEndorsers, transientEndorsingOrgs } from './endorsers';

describe('transientEndorsingOrgs', () => {
  it('names its own organization first, then others in order until a majority', () => {
    expect(transientEndorsingOrgs('ImmigrationMSP', ['ImmigrationMSP', 'EducationMSP', 'HealthMSP'])).toEqual(
      ['ImmigrationMSP', 'EducationMSP'],
    );
    expect(transientEndorsingOrgs('A', ['A', 'B', 'C', 'D'])).toEqual(['A', 'B', 'C']);
    expect(transientEndorsingOrgs('A', ['A'])).toEqual(['A']);
  });
});

describe('loadTransientEndorsers', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'gateway-endorsers-'));
    mkdirSync(path.join(home, 'profiles'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const profile = () => path.join(home, 'profiles', 'HealthMSP.json');

  it('reads the organizations from network.json beside the profiles folder', () => {
    const organizations = [{ mspId: 'ImmigrationMSP' }, { mspId: 'EducationMSP' }, { mspId: 'HealthMSP' }];
    writeFileSync(path.join(home, 'network.json'), JSON.stringify({ organizations }));
    expect(loadTransientEndorsers('HealthMSP', undefined, profile())).toEqual(['HealthMSP', 'EducationMSP']);
  });

  it('prefers the explicit list and answers [] without network.json', () => {
    expect(loadTransientEndorsers('HealthMSP', ['HealthMSP', 'X'], profile())).toEqual(['HealthMSP', 'X']);
    expect(loadTransientEndorsers('HealthMSP', undefined, profile())).toEqual([]);
  });

  it('names a network.json that is not JSON', () => {
    writeFileSync(path.join(home, 'network.json'), '{');
    expect(() => loadTransientEndorsers('HealthMSP', undefined, profile())).toThrow(
      /network\.json is not valid JSON/,
    );
  });
});
