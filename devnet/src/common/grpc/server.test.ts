import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { issueCert, writePem, writeServerTls } from '../../msp/testing/certs';
import { clientCredentials, serverCredentials, type ClientCertFiles, type TlsFiles } from './credentials';
import { NodeCertificates, nodeCertificatesOf } from './nodecertificates';
import { serverOptions } from './options';
import { bytesMethod, unaryBytes } from './testing/bytesservice';
import { newServer, resetFilterStats } from './server';

const WHO = '/test.Who/AmI';
const service: grpc.ServiceDefinition = { whoami: bytesMethod(WHO) };

let dir: string;
let tls: TlsFiles;
let nodeCert: ClientCertFiles;
let userCert: ClientCertFiles;
let server: grpc.Server;
let port: number;
/** A plain grpc-js server with the same credentials (its calls see the TLS socket itself). */
let plain: grpc.Server;
let plainPort: number;

/** The subject CN of the client certificate the server saw, or '-' when the client sent none. */
async function whoami(creds: grpc.ChannelCredentials, to = port): Promise<string> {
  return (await unaryBytes(to, creds, 'peer0.test.local', WHO, Buffer.alloc(0))).toString();
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grpc-server-'));
  const made = await writeServerTls(dir, 'peer0.test.local', ['localhost', '127.0.0.1']);
  tls = made.tls;
  const node = await issueCert(made.ca, { cn: 'peer0.other.local', hosts: ['peer0.other.local'] });
  const user = await issueCert(made.ca, { cn: 'User1@test.local' });
  nodeCert = {
    certPath: writePem(dir, 'node.crt', node.certPem),
    keyPath: writePem(dir, 'node.key', node.keyPem),
  };
  userCert = {
    certPath: writePem(dir, 'user.crt', user.certPem),
    keyPath: writePem(dir, 'user.key', user.keyPem),
  };
  server = newServer({}, NodeCertificates.fromFiles([nodeCert.certPath]));
  port = await start(server);
  plain = new grpc.Server(serverOptions());
  plainPort = await start(plain);
});

function start(s: grpc.Server): Promise<number> {
  s.addService(service, {
    whoami: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
      const cert = call.getAuthContext().sslPeerCertificate;
      cb(null, Buffer.from(cert?.subject.CN ?? '-'));
    },
  });
  return new Promise<number>((resolve, reject) =>
    s.bindAsync('127.0.0.1:0', serverCredentials(tls), (err, p) => (err ? reject(err) : resolve(p))),
  );
}

afterAll(async () => {
  await Promise.all([server, plain].map((s) => new Promise<void>((r) => s.tryShutdown(() => r()))));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a devnet gRPC server', () => {
  it("asks for a client certificate without requiring one (Fabric's tls.RequestClientCert)", async () => {
    await expect(whoami(clientCredentials(tls.caCertPath), plainPort)).resolves.toBe('-');
    await expect(whoami(clientCredentials(tls.caCertPath, userCert), plainPort)).resolves.toBe(
      'User1@test.local',
    );
  });

  it("serves the network's own nodes without the reset filter, everyone else behind it", async () => {
    const before = { ...resetFilterStats(server) };
    await expect(whoami(clientCredentials(tls.caCertPath, nodeCert))).resolves.toBe('peer0.other.local');
    expect(resetFilterStats(server)).toEqual({ ...before, unfiltered: before.unfiltered + 1 });
    // Another certificate of the same CA is not a node's. (Behind the filter, a call sees no TLS socket.)
    await expect(whoami(clientCredentials(tls.caCertPath, userCert))).resolves.toBe('-');
    await expect(whoami(clientCredentials(tls.caCertPath))).resolves.toBe('-');
    expect(resetFilterStats(server)).toEqual({
      ...before,
      connections: before.connections + 2,
      unfiltered: before.unfiltered + 1,
    });
  });
});

describe('NodeCertificates', () => {
  it("reads the orderer's and every peer's TLS certificate of network.json", () => {
    const nodes = nodeCertificatesOf({
      orderer: { tls: { certPath: tls.certPath } },
      organizations: [{ peers: [{ tls: { certPath: nodeCert.certPath } }] }, { peers: [] }],
    });
    expect(nodes.size).toBe(2);
  });

  it('names a certificate file it cannot read', () => {
    expect(() => NodeCertificates.fromFiles([path.join(dir, 'missing.crt')])).toThrow(
      /cannot read node TLS certificate .*missing\.crt/,
    );
  });
});
