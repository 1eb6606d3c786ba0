import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { issueCert, writePem, writeServerTls } from '../../msp/testing/certs';
import { clientCredentials, serverCredentials, type TlsFiles } from './credentials';
import { clientOptions, MAX_MESSAGE_SIZE, serverOptions } from './options';
import { bytesMethod, unaryBytes } from './testing/bytesservice';

const ECHO = '/test.Echo/Echo';
const service: grpc.ServiceDefinition = { echo: bytesMethod(ECHO) };

let dir: string;
let server: grpc.Server;
let mtlsServer: grpc.Server;
let port: number;
let mtlsPort: number;
let tls: TlsFiles;
let clientCert: { certPath: string; keyPath: string };

function bind(s: grpc.Server, creds: grpc.ServerCredentials): Promise<number> {
  s.addService(service, {
    echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) =>
      cb(null, call.request),
  });
  return new Promise((resolve, reject) =>
    s.bindAsync('127.0.0.1:0', creds, (err, p) => (err ? reject(err) : resolve(p))),
  );
}

async function echo(p: number, creds: grpc.ChannelCredentials, host?: string): Promise<string> {
  return (await unaryBytes(p, creds, host, ECHO, Buffer.from('ping'))).toString();
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grpc-tls-'));
  const made = await writeServerTls(dir, 'peer0.test.local', ['localhost', '127.0.0.1']);
  tls = made.tls;
  const cli = await issueCert(made.ca, { cn: 'User1@test.local' });
  clientCert = {
    certPath: writePem(dir, 'client.crt', cli.certPem),
    keyPath: writePem(dir, 'client.key', cli.keyPem),
  };
  server = new grpc.Server(serverOptions());
  port = await bind(server, serverCredentials(tls));
  mtlsServer = new grpc.Server(serverOptions());
  mtlsPort = await bind(mtlsServer, serverCredentials(tls, true));
});

afterAll(async () => {
  await Promise.all([server, mtlsServer].map((s) => new Promise<void>((r) => s.tryShutdown(() => r()))));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('TLS credentials', () => {
  it("dials 127.0.0.1 and verifies the node's name through the override", async () => {
    await expect(echo(port, clientCredentials(tls.caCertPath), 'peer0.test.local')).resolves.toBe('ping');
  });

  it('fails when the override names another host', async () => {
    await expect(echo(port, clientCredentials(tls.caCertPath), 'orderer.test.local')).rejects.toMatchObject({
      code: grpc.status.UNAVAILABLE,
    });
  });

  it('requires a client certificate when asked to', async () => {
    await expect(echo(mtlsPort, clientCredentials(tls.caCertPath), 'peer0.test.local')).rejects.toMatchObject(
      { code: grpc.status.UNAVAILABLE },
    );
    await expect(
      echo(mtlsPort, clientCredentials(tls.caCertPath, clientCert), 'peer0.test.local'),
    ).resolves.toBe('ping');
  });

  it("uses Fabric's 100 MiB message limit and names missing files", () => {
    expect(clientOptions('x')['grpc.max_receive_message_length']).toBe(MAX_MESSAGE_SIZE);
    expect(MAX_MESSAGE_SIZE).toBe(104857600);
    expect(() => clientCredentials(path.join(dir, 'missing.crt'))).toThrow(
      /cannot read TLS CA certificate .*missing.crt/,
    );
  });
});
