import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MinistriesConfigError } from './errors';
import { defaultMinistriesFile, loadMinistries, parseMinistries } from './load';

const MINIMAL = `
ministries:
  - mspId: ImmigrationMSP
    name: Immigration
    domain: immigration.egov.local
`;

/** Parses and returns the problems of an invalid list (fails the test if it was valid). */
function problemsOf(yaml: string): string[] {
  try {
    parseMinistries(yaml, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(MinistriesConfigError);
    expect((err as Error).message).toContain('test.yaml is not a valid list of ministries');
    return (err as MinistriesConfigError).problems;
  }
  throw new Error('expected the list of ministries to be rejected');
}

describe('loadMinistries (default ministries.yaml)', () => {
  const config = loadMinistries();

  it('reads the four default organizations (three ministries and the central bank) with ports by position', () => {
    expect(config.channel).toBe('egov');
    expect(config.chaincode).toEqual({ name: 'egov', version: '0.1' });
    expect(config.ministries.map((m) => m.mspId)).toEqual([
      'ImmigrationMSP',
      'EducationMSP',
      'HealthMSP',
      'CentralBankMSP',
    ]);
    expect(config.ministries.map((m) => m.peers[0])).toEqual([
      {
        hostname: 'peer0',
        name: 'peer0.immigration.egov.local',
        port: 7051,
        operationsPort: 9444,
        chaincodePort: 7052,
      },
      {
        hostname: 'peer0',
        name: 'peer0.education.egov.local',
        port: 8051,
        operationsPort: 9445,
        chaincodePort: 8052,
      },
      {
        hostname: 'peer0',
        name: 'peer0.health.egov.local',
        port: 9051,
        operationsPort: 9446,
        chaincodePort: 9052,
      },
      {
        hostname: 'peer0',
        name: 'peer0.centralbank.egov.local',
        port: 10051,
        operationsPort: 9447,
        chaincodePort: 10052,
      },
    ]);
    expect(config.ministries.map((m) => m.ca)).toEqual([
      { name: 'ca.immigration.egov.local', caName: 'ca-immigration', port: 7054 },
      { name: 'ca.education.egov.local', caName: 'ca-education', port: 8054 },
      { name: 'ca.health.egov.local', caName: 'ca-health', port: 9054 },
      { name: 'ca.centralbank.egov.local', caName: 'ca-centralbank', port: 10054 },
    ]);
    expect(config.ministries.map((m) => m.users)).toEqual([1, 1, 1, 1]);
    expect(config.sourceFile).toBe(defaultMinistriesFile());
    expect(config.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('resolves the orderer with batch sizes in bytes (configtxgen units)', () => {
    expect(config.orderer).toEqual({
      name: 'OrdererOrg',
      mspId: 'OrdererMSP',
      domain: 'egov.local',
      hostname: 'orderer',
      nodeName: 'orderer.egov.local',
      port: 7050,
      operationsPort: 9443,
      ca: { name: 'ca.egov.local', caName: 'ca-ordererorg', port: 6054 },
      batchTimeout: '100ms',
      batchSize: {
        maxMessageCount: 50,
        absoluteMaxBytes: 10 * 1024 * 1024,
        preferredMaxBytes: 2 * 1024 * 1024,
      },
    });
  });
});

describe('parseMinistries', () => {
  it('applies every default to a minimal list', () => {
    const config = parseMinistries(MINIMAL);
    expect(config.channel).toBe('egov');
    expect(config.orderer.port).toBe(7050);
    expect(config.orderer.batchSize.absoluteMaxBytes).toBe(10485760);
    expect(config.ministries[0].peers).toHaveLength(1);
  });

  it('gives a fifth ministry the next ports', () => {
    const text =
      fs.readFileSync(defaultMinistriesFile(), 'utf8') +
      '  - mspId: JusticeMSP\n    name: Justice\n    domain: justice.egov.local\n';
    const config = parseMinistries(text);
    expect(config.ministries).toHaveLength(5);
    expect(config.ministries[4].peers[0]).toEqual({
      hostname: 'peer0',
      name: 'peer0.justice.egov.local',
      port: 11051,
      operationsPort: 9448,
      chaincodePort: 11052,
    });
  });

  it('counts positions over all peers when a ministry has two', () => {
    const config = parseMinistries(
      `${MINIMAL}    peers: [{}, {}]\n  - mspId: HealthMSP\n    name: Health\n    domain: health.egov.local\n`,
    );
    expect(config.ministries[0].peers.map((p) => [p.name, p.port])).toEqual([
      ['peer0.immigration.egov.local', 7051],
      ['peer1.immigration.egov.local', 8051],
    ]);
    expect(config.ministries[1].peers[0].port).toBe(9051);
  });

  it('keeps explicit ports', () => {
    const config = parseMinistries(
      `${MINIMAL}    peers:\n      - port: 12051\n        chaincodePort: 12052\n`,
    );
    expect(config.ministries[0].peers[0]).toMatchObject({
      port: 12051,
      chaincodePort: 12052,
      operationsPort: 9444,
    });
  });

  it('reads a CA port and a users count, and refuses a CA port another node uses', () => {
    const config = parseMinistries(`${MINIMAL}    ca: { port: 12054 }\n    users: 3\n`);
    expect(config.ministries[0].ca.port).toBe(12054);
    expect(config.ministries[0].users).toBe(3);
    expect(problemsOf(`${MINIMAL}    ca: { port: 7051 }\n`)).toEqual([
      'ministries[0].ca.port: duplicate port "7051" (already used by ministries[0].peers[0].port)',
    ]);
    expect(problemsOf(`${MINIMAL}    users: 0\n`)).toEqual(['ministries[0].users: users must be at least 1']);
  });

  it('changes the fingerprint when the text changes', () => {
    expect(parseMinistries(MINIMAL).sha256).not.toBe(parseMinistries(`${MINIMAL}# comment\n`).sha256);
  });

  it('rejects unknown keys, naming the path', () => {
    const problems = problemsOf(`${MINIMAL}    mspid: typo\norderer:\n  batchsize: {}\n`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ministries\[0\]: .*"mspid"/),
        expect.stringMatching(/^orderer: .*"batchsize"/),
      ]),
    );
  });

  it('rejects duplicate MSP ids, naming both entries', () => {
    const problems = problemsOf(
      `${MINIMAL}  - mspId: ImmigrationMSP\n    name: Other\n    domain: other.egov.local\n`,
    );
    expect(problems).toEqual([
      'ministries[1].mspId: duplicate MSP id "ImmigrationMSP" (already used by ministries[0].mspId)',
    ]);
  });

  it('rejects an MSP id equal to the orderer one', () => {
    const problems = problemsOf(
      `ministries:\n  - mspId: OrdererMSP\n    name: X\n    domain: x.egov.local\n`,
    );
    expect(problems).toEqual([
      'ministries[0].mspId: duplicate MSP id "OrdererMSP" (already used by orderer.mspId)',
    ]);
  });

  it('rejects duplicate ports, including ones assigned by position', () => {
    const problems = problemsOf(
      `${MINIMAL}  - mspId: HealthMSP\n    name: Health\n    domain: health.egov.local\n    peers: [{ port: 7051 }]\n`,
    );
    expect(problems).toEqual([
      'ministries[1].peers[0].port: duplicate port "7051" (already used by ministries[0].peers[0].port)',
    ]);
    expect(problemsOf(`${MINIMAL}orderer:\n  operationsPort: 9444\n`)).toEqual([
      'ministries[0].peers[0].operationsPort: duplicate port "9444" (already used by orderer.operationsPort)',
    ]);
  });

  it('rejects duplicate domains', () => {
    const problems = problemsOf(
      `${MINIMAL}  - mspId: OtherMSP\n    name: Other\n    domain: immigration.egov.local\n`,
    );
    expect(problems).toContainEqual(
      expect.stringContaining('ministries[1].domain: duplicate domain "immigration.egov.local"'),
    );
  });

  it('rejects bad names with the rule they break', () => {
    const problems = problemsOf(`channel: EGov
chaincode: { name: "bad name" }
ministries:
  - mspId: "Immigration MSP"
    name: Immigration
    domain: Immigration_egov
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^channel: a channel name must match/),
        expect.stringMatching(/^chaincode\.name: a chaincode name must match/),
        expect.stringMatching(/^ministries\[0\]\.mspId: an MSP id must start with a letter/),
        expect.stringMatching(/^ministries\[0\]\.domain: a domain must be a lower-case DNS name/),
      ]),
    );
  });

  it('rejects bad ports, durations and sizes', () => {
    const problems = problemsOf(`${MINIMAL}    peers: [{ port: 70000 }]
orderer:
  batchTimeout: 100 millis
  batchSize: { absoluteMaxBytes: 10 parsecs }
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ministries\[0\]\.peers\[0\]\.port: /),
        expect.stringMatching(/^orderer\.batchTimeout: a duration must use Go syntax/),
        expect.stringMatching(/^orderer\.batchSize\.absoluteMaxBytes: /),
      ]),
    );
  });

  it('rejects preferredMaxBytes above absoluteMaxBytes', () => {
    const problems = problemsOf(
      `${MINIMAL}orderer:\n  batchSize: { absoluteMaxBytes: 1 MB, preferredMaxBytes: 2 MB }\n`,
    );
    expect(problems).toEqual([
      'orderer.batchSize.preferredMaxBytes: must not exceed absoluteMaxBytes (Fabric rejects such a config)',
    ]);
  });

  it('requires at least one ministry', () => {
    expect(problemsOf('channel: egov\n')).toEqual([expect.stringMatching(/^ministries: /)]);
    expect(problemsOf('ministries: []\n')).toEqual(['ministries: at least one ministry is required']);
  });

  it('reports YAML syntax errors and duplicate keys', () => {
    expect(problemsOf('ministries: [\n')[0]).toMatch(/^YAML syntax: /);
    expect(problemsOf(`${MINIMAL}channel: a\nchannel: b\n`)[0]).toMatch(/^YAML syntax: .*unique/i);
  });

  it('names a missing file', () => {
    const missing = path.join(os.tmpdir(), 'no-such-ministries.yaml');
    expect(() => loadMinistries(missing)).toThrow(`${missing} is not a valid list of ministries`);
  });
});
