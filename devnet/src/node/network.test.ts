import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { deployedChaincodes, status } from './network';

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

describe('status', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'devnet-status-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it("lists the network chaincode's servers only once it has a definition; other chaincodes' when deployed", async () => {
    // Nothing runs: every process is reported stopped without being probed.
    const peer = (name: string, port: number) => ({
      name,
      port,
      operationsPort: port + 1,
      chaincodePort: port + 2,
    });
    fs.writeFileSync(
      path.join(home, 'network.json'),
      JSON.stringify({
        home,
        chaincode: { name: 'egov', version: '0.1' },
        orderer: { name: 'orderer.example.com', port: 1050, operationsPort: 1051 },
        organizations: [{ mspId: 'Org1MSP', peers: [peer('peer0.org1.example.com', 1060)] }],
      }),
    );
    const dir = path.join(home, 'chaincode', 'sbe');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'definition.json'),
      JSON.stringify({ name: 'sbe', version: '1.0', sequence: 1 }),
    );
    fs.writeFileSync(
      path.join(dir, 'source.json'),
      JSON.stringify({ name: 'sbe', version: '1.0', modulePath: '/cc', portShift: 100 }),
    );
    const names = async () =>
      (await status(home)).map((s) => `${s.name} ${s.pid === undefined ? 'stopped' : 'running'}`);
    expect(await names()).toEqual([
      'orderer.example.com stopped',
      'peer0.org1.example.com stopped',
      'sbe@peer0.org1.example.com stopped',
    ]);
    const egov = path.join(home, 'chaincode', 'egov');
    fs.mkdirSync(egov, { recursive: true });
    fs.writeFileSync(
      path.join(egov, 'definition.json'),
      JSON.stringify({ name: 'egov', version: '0.1', sequence: 1 }),
    );
    expect(await names()).toContain('egov@peer0.org1.example.com stopped');
  });
});
