/**
 * Demo bootstrap: registers every ministry of the network for governance, its demo schemas and
 * its User1's issuer role for its own domain, skipping whatever exists (idempotent). Library
 * {@link bootstrapDemo}; CLI `node gateway/dist/bootstrap.js` (reads `<DEVNET_HOME>/network.json`).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ChaincodeClient } from './chaincode/client';
import { ConfigError, formatIssues } from './config';
import { connectGateway, newGrpcClient } from './fabric/connection';
import { FabricChaincodeClient } from './fabric/chaincodeclient';
import { fabricErrorToApiError } from './fabric/errors';
import { newIdentity, newSigner } from './fabric/identity';
import { ConnectionProfile } from './fabric/profile';
import pino from 'pino';

/** The default demo data file (gateway/bootstrap/demo.json, from src/ or dist/). */
export const DEMO_DATA_PATH = path.resolve(__dirname, '..', 'bootstrap', 'demo.json');

const identityFiles = z.looseObject({ certPath: z.string().min(1), keyPath: z.string().min(1) });
const networkSchema = z.looseObject({
  channel: z.string().min(1),
  chaincode: z.looseObject({ name: z.string().min(1) }),
  organizations: z.array(
    z.looseObject({
      mspId: z.string().min(1),
      tlsCaCertPath: z.string().min(1),
      peers: z.array(z.looseObject({ name: z.string(), host: z.string(), port: z.number().int() })).min(1),
      admin: identityFiles,
      user: identityFiles,
    }),
  ),
});

/** An identity's files in `network.json`. */
interface IdentityFiles {
  certPath: string;
  keyPath: string;
}

/** The part of network-config's `network.json` (its NetworkDescriptor) the bootstrap reads. */
export interface BootstrapNetwork {
  channel: string;
  chaincode: { name: string };
  organizations: {
    mspId: string;
    tlsCaCertPath: string;
    /** The first peer is used: `name` is its TLS host name. */
    peers: { name: string; host: string; port: number }[];
    admin: IdentityFiles;
    user: IdentityFiles;
  }[];
}

const demoSchema = z.object({
  ministries: z.record(
    z.string(),
    z.object({
      schemas: z.array(
        z.object({
          recordType: z.string(),
          schema: z.record(z.string(), z.unknown()),
          personalFields: z.array(z.string()).optional(),
        }),
      ),
      grants: z.array(z.object({ role: z.string(), scope: z.string() })),
    }),
  ),
});

/** Demo data: per MSP id, the schemas it registers and the roles its User1 receives. */
export type DemoData = z.infer<typeof demoSchema>;

/** Options of {@link bootstrapDemo}. */
export interface BootstrapOptions {
  /** Demo data (default: {@link DEMO_DATA_PATH}). */
  demo?: DemoData;
  /** Receives one line per step (default: stdout). */
  log?: (line: string) => void;
}

/** Reads and checks a demo data file; the error names the file and the wrong field. */
export function loadDemoData(file: string = DEMO_DATA_PATH): DemoData {
  return parseFile(file, demoSchema, 'demo data');
}

/** Reads and checks `<home>/network.json`. */
export function loadBootstrapNetwork(home: string): BootstrapNetwork {
  return parseFile(path.join(home, 'network.json'), networkSchema, 'network description') as BootstrapNetwork;
}

function parseFile<T>(file: string, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read ${what} ${file}: ${(err as Error).message}`);
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new ConfigError(`invalid ${what} ${file}: ${formatIssues(result.error.issues)}`);
  return result.data;
}

type Organization = BootstrapNetwork['organizations'][number];

/** A connection profile for one of the organization's identities, on its first peer. */
function profileOf(net: BootstrapNetwork, org: Organization, who: 'admin' | 'user'): ConnectionProfile {
  const peer = org.peers[0];
  return {
    mspId: org.mspId,
    channel: net.channel,
    chaincode: { name: net.chaincode.name },
    peerEndpoint: `${peer.host}:${peer.port}`,
    peerHostAlias: peer.name,
    tlsCaCertPath: org.tlsCaCertPath,
    certPath: org[who].certPath,
    keyPath: org[who].keyPath,
  };
}

/** Whether an error is the chaincode's "X does not exist" (a 404 once mapped). */
function isNotFound(err: unknown): boolean {
  return fabricErrorToApiError(err)?.code === 'NOT_FOUND';
}

/**
 * One ministry's steps, as its admin (and its user, to learn User1's identity id); what exists
 * is skipped. Exported for tests, which pass fake clients.
 */
export async function bootstrapMinistry(
  org: { mspId: string },
  admin: ChaincodeClient,
  user: ChaincodeClient,
  demo: DemoData,
  log: (line: string) => void,
): Promise<void> {
  const msp = org.mspId;
  const { ministries } = (await admin.evaluate('governance:GetMinistries')) as {
    ministries: { mspId: string }[];
  };
  if (ministries.some((m) => m.mspId === msp)) log(`${msp}: ministry already registered, skipped`);
  else {
    await admin.submit('governance:RegisterMinistry');
    log(`${msp}: ministry registered for governance`);
  }
  const data = demo.ministries[msp] ?? { schemas: [], grants: [] };
  for (const { recordType, ...schemaDoc } of data.schemas) {
    const exists = await admin.evaluate('schemas:GetSchema', [recordType, '']).then(
      () => true,
      (err: unknown) => {
        if (isNotFound(err)) return false;
        throw err;
      },
    );
    if (exists) log(`${msp}: schema ${recordType} already registered, skipped`);
    else {
      const { result } = await admin.submit('schemas:RegisterSchema', [
        recordType,
        JSON.stringify(schemaDoc),
      ]);
      log(`${msp}: schema ${recordType} registered (version ${(result as { version?: unknown }).version})`);
    }
  }
  if (data.grants.length === 0) return;
  const me = (await user.evaluate('authorities:WhoAmI')) as { id: string };
  const page = (await admin.evaluate('authorities:ListGrants', [msp, me.id, '100', ''])) as {
    items: { role: string; scope: string; status?: string }[];
  };
  for (const { role, scope } of data.grants) {
    if (page.items.some((g) => g.role === role && g.scope === scope && g.status !== 'REVOKED')) {
      log(`${msp}: User1 already holds ${role} for ${scope}, skipped`);
      continue;
    }
    await admin.submit('authorities:GrantRole', [JSON.stringify({ holder: me.id, role, scope })]);
    log(`${msp}: granted ${role} for ${scope} to User1`);
  }
}

/**
 * Registers the demo data on `network`, one ministry after another, as each ministry's admin
 * (governance registration, schemas, User1's roles); whatever exists is skipped, so running it
 * twice changes nothing. Throws the first Fabric error (its message names the transaction).
 */
export async function bootstrapDemo(
  network: BootstrapNetwork,
  options: BootstrapOptions = {},
): Promise<void> {
  const demo = options.demo ?? loadDemoData();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  // One line per step is the output; the clients' own log lines would repeat it.
  const silent = pino({ level: 'silent' });
  for (const org of network.organizations) {
    const adminProfile = profileOf(network, org, 'admin');
    const userProfile = profileOf(network, org, 'user');
    const client = newGrpcClient(adminProfile);
    const adminGateway = connectGateway(client, newIdentity(adminProfile), newSigner(adminProfile));
    const userGateway = connectGateway(client, newIdentity(userProfile), newSigner(userProfile));
    const clientOf = (g: typeof adminGateway) =>
      new FabricChaincodeClient(g.getNetwork(network.channel).getContract(network.chaincode.name), silent);
    try {
      await bootstrapMinistry(org, clientOf(adminGateway), clientOf(userGateway), demo, log);
    } finally {
      adminGateway.close();
      userGateway.close();
      client.close();
    }
  }
}

/** The CLI: bootstraps `<DEVNET_HOME or repo/.devnet>`; exit code 1 with the reason on failure. */
async function main(): Promise<void> {
  const home = process.env.DEVNET_HOME
    ? path.resolve(process.env.DEVNET_HOME)
    : path.resolve(__dirname, '..', '..', '.devnet');
  await bootstrapDemo(loadBootstrapNetwork(home));
  process.stdout.write('bootstrap done\n');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    const mapped = fabricErrorToApiError(err);
    process.stderr.write(`bootstrap failed: ${mapped ? `${mapped.message}` : (err as Error).message}\n`);
    process.exitCode = 1;
  });
}
