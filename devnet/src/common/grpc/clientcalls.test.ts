import { Duplex } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { skipRedundantEnd } from './clientcalls';

const identity = (b: Buffer) => b;
const UNARY = '/test.Echo/Echo';
const BIDI = '/test.Echo/Chat';

/** A plaintext server with a unary echo and a bidi stream that answers once and ends when the client does. */
async function echoServer(): Promise<{ server: grpc.Server; address: string }> {
  const server = new grpc.Server();
  const method = (path: string, stream: boolean) => ({
    path,
    requestStream: stream,
    responseStream: stream,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  });
  server.addService(
    { echo: method(UNARY, false), chat: method(BIDI, true) },
    {
      echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) =>
        cb(null, call.request),
      chat: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
        call.once('data', (b: Buffer) => call.write(b));
        call.on('end', () => call.end());
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return { server, address: `127.0.0.1:${port}` };
}

describe('skipRedundantEnd', () => {
  let server: grpc.Server;
  let client: grpc.Client;
  /** Client HTTP/2 streams `end()` was called on after their writable side had finished. */
  let endsAfterFinish: number;
  let endSpy: jest.SpyInstance;

  beforeAll(async () => {
    const s = await echoServer();
    server = s.server;
    client = new grpc.Client(s.address, grpc.credentials.createInsecure());
  });

  afterAll(() => {
    client.close();
    server.forceShutdown();
  });

  beforeEach(() => {
    endsAfterFinish = 0;
    const end = Duplex.prototype.end;
    endSpy = jest.spyOn(Duplex.prototype, 'end').mockImplementation(function (this: Duplex, ...args) {
      if (this.constructor.name === 'ClientHttp2Stream' && this.writableFinished) endsAfterFinish++;
      return end.apply(this, args as Parameters<typeof end>);
    });
  });

  afterEach(() => endSpy.mockRestore());

  it('is in force once devnet’s gRPC module is loaded', () => {
    expect(skipRedundantEnd()).toBe(true);
  });

  it('answers unary calls without ending a finished stream again', async () => {
    for (let i = 0; i < 5; i++) {
      const answer = await new Promise<Buffer>((resolve, reject) =>
        client.makeUnaryRequest(UNARY, identity, identity, Buffer.from(`ping ${i}`), (err, res) =>
          err ? reject(err) : resolve(res!),
        ),
      );
      expect(answer.toString()).toBe(`ping ${i}`);
    }
    expect(endsAfterFinish).toBe(0);
  });

  it('lets a bidi stream the client half-closes end with OK', async () => {
    const call = client.makeBidiStreamRequest(BIDI, identity, identity);
    const status = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
    const first = new Promise<Buffer>((resolve) => call.once('data', resolve));
    call.write(Buffer.from('hello'));
    expect((await first).toString()).toBe('hello');
    call.end();
    call.resume();
    expect((await status).code).toBe(grpc.status.OK);
    expect(endsAfterFinish).toBe(0);
  });
});
