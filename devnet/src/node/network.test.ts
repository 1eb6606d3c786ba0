import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { deployedChaincodes } from './network';

describe('deployedChaincodes', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'devnet-deployed-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  function record(name: string, version: string, source?: object): void {
    const dir = path.join(home, 'chaincode', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'definition.json'), JSON.stringify({ name, version, sequence: 1 }));
    if (source) fs.writeFileSync(path.join(dir, 'source.json'), JSON.stringify(source));
  }

  const net = (): NetworkDescriptor =>
    ({ home, chaincode: { name: 'egov', version: '0.1' } }) as unknown as NetworkDescriptor;

  it('lists every chaincode with a definition, also when the network chaincode has none, at its deployed version', () => {
    record('other', '2.0', { name: 'other', version: '1.0', modulePath: '/cc', portShift: 100 });
    expect(deployedChaincodes(net())).toEqual([
      { name: 'other', version: '2.0', modulePath: '/cc', portShift: 100 },
    ]);
    record('egov', '0.2');
    expect(deployedChaincodes(net()).map((c) => `${c.name} ${c.version}`)).toEqual(['egov 0.2', 'other 2.0']);
  });

  it('skips a chaincode whose servers were set up but whose definition was never written', () => {
    fs.mkdirSync(path.join(home, 'chaincode', 'half'), { recursive: true });
    fs.writeFileSync(
      path.join(home, 'chaincode', 'half', 'source.json'),
      JSON.stringify({ name: 'half', version: '1.0', modulePath: '/cc', portShift: 300 }),
    );
    expect(deployedChaincodes(net())).toEqual([]);
  });
});
