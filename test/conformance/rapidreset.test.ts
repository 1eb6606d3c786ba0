/**
 * Issue 22: devnet's gRPC servers serve a client that resets every stream after its response
 * (@grpc/grpc-js 1.10.3, as Caliper 0.6.0 pins it) on one connection, and still cut off a client
 * that floods them with streams it resets without waiting (CVE-2023-44487, "rapid reset").
 */
import * as fs from 'node:fs';
import * as http2 from 'node:http2';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {
  newServer,
  resetFilterStats,
  serverCredentials,
  serverOptions,
  type TlsFiles,
} from '@govfabric/devnet/common/grpc';
import {
  rapidResetFlood,
  unaryCalls,
  type UnaryClient,
} from '@govfabric/devnet/common/grpc/testing/resetclients';
import { bytesMethod } from '@govfabric/devnet/common/grpc/testing/bytesservice';
import { writeServerTls } from '@govfabric/devnet/msp/testing/certs';
import { realFabricNetworkFile, testNetwork } from '../support/devnet';
import { pinnedGrpc } from '../support/pinnedgrpc';

const old = pinnedGrpc();
const HOST = 'peer0.test.local';
const ECHO = '/test.Echo/Echo';
/** More calls than nghttp2's reset burst (1000) allows before it sends GOAWAY. */
const CALLS = 2000;
/** Per devnet node: above the burst, fewer to keep the suite short. */
const NODE_CALLS = 1200;
const IN_FLIGHT = 50;

let dir: string;
let tls: TlsFiles;

function echoServer(server: grpc.Server): Promise<number> {
  server.addService(
    { echo: bytesMethod(ECHO) },
    {
      echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) =>
        cb(null, call.request),
    },
  );
  return new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', serverCredentials(tls), (err, p) => (err ? reject(err) : resolve(p))),
  );
}

/** A grpc-js 1.10.3 client (one channel, so one connection) to `address`, verifying `host`. */
function oldClient(address: string, caCertPath: string, host: string) {
  return new old.Client(address, old.credentials.createSsl(fs.readFileSync(caCertPath)), {
    'grpc.ssl_target_name_override': host,
    'grpc.default_authority': host,
  });
}

/** `calls` unary calls of `method`, `IN_FLIGHT` at a time; with `stopOnCode`, stops starting calls once one ends with it. */
function run(client: UnaryClient, method: string, calls: number, stopOnCode?: number) {
  return unaryCalls(client, { method, inFlight: IN_FLIGHT, calls, stopOnCode });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapidreset-'));
  ({ tls } = await writeServerTls(dir, HOST));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a client that resets every stream after its response (grpc-js 1.10.3)', () => {
  it(`gets all ${CALLS} calls answered on one connection by a devnet gRPC server`, async () => {
    const server = newServer();
    const port = await echoServer(server);
    const client = oldClient(`127.0.0.1:${port}`, tls.caCertPath, HOST);
    try {
      const out = await run(client, ECHO, CALLS);
      expect(out.firstError).toBeUndefined();
      expect(out.codes.get(0)).toBe(CALLS);
      const stats = resetFilterStats(server);
      expect(stats.connections).toBe(1);
      // The client really reset (nearly) every stream: far more than nghttp2's burst of 1000.
      expect(stats.droppedResets).toBeGreaterThan(CALLS - IN_FLIGHT - 1);
    } finally {
      client.close();
      server.forceShutdown();
    }
  });

  it('is cut off with GOAWAY by a plain Node HTTP/2 gRPC server (what devnet fixes)', async () => {
    const server = new grpc.Server(serverOptions());
    const port = await echoServer(server);
    const client = oldClient(`127.0.0.1:${port}`, tls.caCertPath, HOST);
    try {
      // Stops at the first INTERNAL: nghttp2's limit refills at 33 resets/s, so this ends unless
      // the machine makes fewer calls than that per second.
      const out = await run(client, ECHO, 100 * CALLS, grpc.status.INTERNAL);
      expect(out.firstError).toMatch(/RST_STREAM with code 2|Session closed with error code 2|GOAWAY/);
    } finally {
      client.close();
      server.forceShutdown();
    }
  });
});

describe('a rapid-reset flood (streams reset without waiting for the response)', () => {
  it('is sent GOAWAY(INTERNAL_ERROR) by a devnet gRPC server', async () => {
    const server = newServer();
    const port = await echoServer(server);
    try {
      const out = await rapidResetFlood(
        { address: `127.0.0.1:${port}`, caCertPath: tls.caCertPath, host: HOST },
        ECHO,
        200_000,
      );
      expect(out.goawayCode).toBe(http2.constants.NGHTTP2_INTERNAL_ERROR);
      expect(out.opened).toBeGreaterThan(1000);
    } finally {
      server.forceShutdown();
    }
  });
});

// On a real Fabric network (test:fabric) the same clients meet Fabric's own peer and orderer.
describe('the network’s peer and orderer', () => {
  it(`answer ${NODE_CALLS} calls of grpc-js 1.10.3 on one connection each, none cut off`, async () => {
    const net = testNetwork();
    const nodes = [
      {
        address: `${net.orderer.host}:${net.orderer.port}`,
        ca: net.orderer.tls.caCertPath,
        host: net.orderer.name,
      },
      ...net.organizations.slice(0, 1).map((o) => ({
        address: `${o.peers[0].host}:${o.peers[0].port}`,
        ca: o.tlsCaCertPath,
        host: o.peers[0].name,
      })),
    ];
    for (const node of nodes) {
      const client = oldClient(node.address, node.ca, node.host);
      try {
        // A method no devnet server has: answered UNIMPLEMENTED (trailers only), then reset by the client.
        const out = await run(client, ECHO, NODE_CALLS);
        expect({ node: node.host, codes: Object.fromEntries(out.codes) }).toEqual({
          node: node.host,
          codes: { [grpc.status.UNIMPLEMENTED]: NODE_CALLS },
        });
      } finally {
        client.close();
      }
    }
  });

  it('a peer survives reset calls of an unknown method and a ProcessProposal flood (devnet sends GOAWAY)', async () => {
    const org = testNetwork().organizations[0];
    const peer = org.peers[0];
    const address = `${peer.host}:${peer.port}`;
    // grpc-js answers an unknown method at once; a stream the client reset in the same read used to
    // make it throw from respond() and end the peer.
    const target = { address, caCertPath: org.tlsCaCertPath, host: peer.name };
    await rapidResetFlood(target, '/no.Such/Method', 3000);
    const out = await rapidResetFlood(target, '/protos.Endorser/ProcessProposal', 200_000);
    // devnet cuts the flood off as nghttp2 does; Fabric's grpc-go sends no GOAWAY (it bounds the
    // handlers of reset streams instead), so there only surviving the flood is asserted.
    const expectedGoaway =
      realFabricNetworkFile() === undefined ? http2.constants.NGHTTP2_INTERNAL_ERROR : undefined;
    expect(out.goawayCode).toBe(expectedGoaway);
    const client = oldClient(address, org.tlsCaCertPath, peer.name);
    try {
      const after = await run(client, ECHO, 10);
      expect(Object.fromEntries(after.codes)).toEqual({ [grpc.status.UNIMPLEMENTED]: 10 });
    } finally {
      client.close();
    }
  });
});
