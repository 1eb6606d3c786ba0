import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NetworkDescriptor } from '@govfabric/network-config';

/** The repository root. */
export const REPO = path.resolve(__dirname, '..', '..');

/**
 * Every port of the test network is the default one plus this offset (GOVFABRIC_TEST_PORT_OFFSET,
 * default 10000), so that a running `npm start` network and the tests, or two test runs, never collide.
 */
export const PORT_OFFSET = Number(process.env.GOVFABRIC_TEST_PORT_OFFSET ?? 10000);
const port = (p: number): number => p + PORT_OFFSET;

/** Name of the conformance suite's chaincode (test/fixtures/conformance-cc) that the global setup deploys. */
export const CONFORMANCE_CHAINCODE = 'conformance';

/**
 * The conformance chaincode's endorsement policy (test/fixtures/conformance-cc/deploy.json): two of the
 * first three ministries, as MAJORITY was before the central bank joined.
 */
export const CONFORMANCE_SIGNATURE_POLICY = (
  JSON.parse(
    fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'conformance-cc', 'deploy.json'), 'utf8'),
  ) as { signaturePolicy: string }
).signaturePolicy;

/** Port of the HTTP gateway the integration tests start. */
export const TEST_GATEWAY_PORT = port(3000);

/**
 * The network the integration tests run on: the default ministries on other ports than `npm start`
 * uses, so that tests and a running devnet do not collide.
 */
export const TEST_MINISTRIES_YAML = `
channel: egov
chaincode: { name: egov, version: "0.1" }
orderer:
  name: OrdererOrg
  mspId: OrdererMSP
  domain: egov.local
  hostname: orderer
  port: ${port(7050)}
  operationsPort: ${port(9443)}
  ca: { port: ${port(6054)} }
  batchTimeout: 100ms
  batchSize: { maxMessageCount: 50, absoluteMaxBytes: 10 MB, preferredMaxBytes: 2 MB }
ministries:
  - mspId: ImmigrationMSP
    name: Immigration
    domain: immigration.egov.local
    peers: [{ hostname: peer0, port: ${port(7051)}, operationsPort: ${port(9444)}, chaincodePort: ${port(7052)} }]
    ca: { port: ${port(7054)} }
  - mspId: EducationMSP
    name: Education
    domain: education.egov.local
    peers: [{ hostname: peer0, port: ${port(8051)}, operationsPort: ${port(9445)}, chaincodePort: ${port(8052)} }]
    ca: { port: ${port(8054)} }
  - mspId: HealthMSP
    name: Health
    domain: health.egov.local
    peers: [{ hostname: peer0, port: ${port(9051)}, operationsPort: ${port(9446)}, chaincodePort: ${port(9052)} }]
    ca: { port: ${port(9054)} }
  - mspId: CentralBankMSP
    name: CentralBank
    domain: centralbank.egov.local
    peers: [{ hostname: peer0, port: ${port(10051)}, operationsPort: ${port(9447)}, chaincodePort: ${port(10052)} }]
    ca: { port: ${port(10054)} }
`;

/** Runs the devnet CLI (`up`, `deploy`, `down`, ...; words split on spaces) on the test network; throws with its output on failure. */
export function devnetCli(home: string, command: string): string {
  const result = spawnSync(
    process.execPath,
    [path.join(REPO, 'devnet', 'dist', 'node', 'cli.js'), ...command.split(' ')],
    {
      env: { ...process.env, DEVNET_HOME: home, DEVNET_MINISTRIES: path.join(home, 'ministries.yaml') },
      encoding: 'utf8',
      timeout: 180_000,
    },
  );
  if (result.status !== 0) {
    throw new Error(`devnet ${command} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** The test network's descriptor (DEVNET_HOME is set by the integration global setup). */
export function testNetwork(): NetworkDescriptor {
  const real = realFabricNetworkFile();
  if (real !== undefined) return JSON.parse(fs.readFileSync(real, 'utf8')) as NetworkDescriptor;
  const home = process.env.DEVNET_HOME;
  if (home === undefined)
    throw new Error(
      'DEVNET_HOME is not set: run the integration tests through jest --selectProjects integration',
    );
  return JSON.parse(fs.readFileSync(path.join(home, 'network.json'), 'utf8')) as NetworkDescriptor;
}

/**
 * GOVFABRIC_FABRIC_NETWORK: a real Fabric network to run the integration and conformance tests on
 * instead of devnet (a network.json-shaped file; its `home` holds the `profiles/` the HTTP gateway uses).
 */
export function realFabricNetworkFile(): string | undefined {
  const file = process.env.GOVFABRIC_FABRIC_NETWORK;
  return file === undefined || file === '' ? undefined : path.resolve(file);
}
