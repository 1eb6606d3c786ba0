import * as path from 'node:path';
import { parseDeployArgs } from './deployargs';

describe('parseDeployArgs', () => {
  it('takes the network chaincode without positionals, and the peer CLI definition options', () => {
    expect(
      parseDeployArgs([
        '--version',
        '2.0',
        '--sequence',
        '3',
        "--signature-policy=OR('AMSP.peer','BMSP.peer')",
        '--collections-config',
        'c.json',
        '--init-required',
      ]),
    ).toEqual({
      options: {
        version: '2.0',
        sequence: 3,
        signaturePolicy: "OR('AMSP.peer','BMSP.peer')",
        collectionsConfig: path.resolve('c.json'),
        initRequired: true,
      },
    });
  });

  it('takes another chaincode by name, folder and port shift', () => {
    expect(
      parseDeployArgs(['cc', 'dir', '200', '--channel-config-policy', '/Channel/Application/Writers']),
    ).toEqual({
      source: { name: 'cc', version: '1.0', modulePath: path.resolve('dir'), portShift: 200 },
      options: { channelConfigPolicy: '/Channel/Application/Writers' },
    });
    expect(parseDeployArgs(['cc', 'dir']).source?.portShift).toBe(100);
  });

  it('serves another chaincode in plaintext with --chaincode-tls=false, over TLS otherwise', () => {
    expect(parseDeployArgs(['cc', 'dir', '--chaincode-tls=false']).source?.tls).toBe(false);
    expect(parseDeployArgs(['cc', 'dir', '--chaincode-tls=true']).source?.tls).toBeUndefined();
    expect(parseDeployArgs(['cc', 'dir']).source?.tls).toBeUndefined();
  });

  it('refuses bad arguments, naming them', () => {
    expect(() => parseDeployArgs(['--sequence', '0'])).toThrow(
      /--sequence must be a positive integer, not 0/,
    );
    expect(() => parseDeployArgs(['--signature-policy', 'x', '--channel-config-policy', 'y'])).toThrow(
      /cannot both be given/,
    );
    expect(() => parseDeployArgs(['--endorsement', 'x'])).toThrow(/--endorsement/);
    expect(() => parseDeployArgs(['cc', 'dir', 'x'])).toThrow(/port shift must be a non-negative integer/);
    expect(() => parseDeployArgs(['cc', 'dir', '--chaincode-tls=no'])).toThrow(
      /--chaincode-tls must be true or false, not no/,
    );
  });
});
