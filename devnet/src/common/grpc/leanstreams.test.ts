import * as fs from 'node:fs';
import * as http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { issueCert, writePem, writeServerTls } from '../../msp/testing/certs';
import { serverCredentials, type TlsFiles } from './credentials';
import { frameMessage } from './framing';
import { LeanChannel, LeanChannelOptions } from './leanchannel';
import { LeanDuplexStream, LeanMethod, leanUnaryCall } from './leanstreams';

jest.setTimeout(5000);

const id = (b: Buffer): Buffer => b;
const def = (name: string, stream: boolean): grpc.MethodDefinition<Buffer, Buffer> => ({
  path: `/test.Lean/${name}`,
  requestStream: stream,
  responseStream: stream,
  requestSerialize: id,
  requestDeserialize: id,
  responseSerialize: id,
  responseDeserialize: id,
});
const service = { chat: def('Chat', true), unary: def('Unary', false) };
const GenericClient = grpc.makeGenericClientConstructor(service, 'Lean');
const method = (name: string): LeanMethod<Buffer, Buffer> => ({
  path: `/test.Lean/${name}`,
  serialize: (b) => b,
  deserialize: (b) => Buffer.from(b),
});
const CHAT = method('Chat');
const UNARY = method('Unary');
/** A details text grpc-js's server percent-encodes (space, %, non-ASCII, newline). */
const DETAILS = 'state 100% bad: ü\nsecond line';

/** The test server's chat: echoes, and obeys commands. */
function chat(call: grpc.ServerDuplexStream<Buffer, Buffer>): void {
  call.on('data', (b: Buffer) => {
    const s = b.toString();
    if (s === 'end-ok') call.end();
    else if (s.startsWith('fail:')) call.emit('error', { code: Number(s.split(':')[1]), details: DETAILS });
    else if (s.startsWith('big:')) call.write(Buffer.alloc(Number(s.slice(4)), 7));
    else if (s.startsWith('many:'))
      for (let i = 0; i < Number(s.slice(5)); i++) call.write(Buffer.from(`m${i}`));
    else if (s === 'pause') call.pause();
    else if (s !== 'hang') call.write(b);
  });
  call.on('end', () => call.end());
}

let dir: string;
let tls: TlsFiles;
let client: { certPath: string; keyPath: string };
let plain: grpc.Server;
let secure: grpc.Server;
let mutual: grpc.Server;
const ports = { plain: 0, secure: 0, mutual: 0 };
let cancelled: Promise<void>;
let onCancelled: () => void = () => undefined;

async function start(creds: grpc.ServerCredentials): Promise<[grpc.Server, number]> {
  const s = new grpc.Server();
  s.addService(service, {
    chat: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      call.on('cancelled', () => onCancelled());
      chat(call);
    },
    unary: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
      const s = call.request.toString();
      if (s.startsWith('fail:')) cb({ code: Number(s.split(':')[1]), details: DETAILS });
      else if (s === 'hang') return;
      else cb(null, call.request);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    s.bindAsync('127.0.0.1:0', creds, (err, p) => (err ? reject(err) : resolve(p))),
  );
  return [s, port];
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-grpc-'));
  const made = await writeServerTls(dir, 'cc.peer0.test.local', ['localhost', '127.0.0.1']);
  tls = made.tls;
  const cli = await issueCert(made.ca, { cn: 'peer0.test.local' });
  client = {
    certPath: writePem(dir, 'client.crt', cli.certPem),
    keyPath: writePem(dir, 'client.key', cli.keyPem),
  };
  [plain, ports.plain] = await start(grpc.ServerCredentials.createInsecure());
  [secure, ports.secure] = await start(serverCredentials(tls));
  [mutual, ports.mutual] = await start(serverCredentials(tls, true));
});

afterAll(async () => {
  for (const s of [plain, secure, mutual]) s.forceShutdown();
  fs.rmSync(dir, { recursive: true, force: true });
});

const channels: LeanChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) c.close();
});
function lean(port: number, opts: LeanChannelOptions = {}): LeanChannel {
  const c = new LeanChannel(`127.0.0.1:${port}`, opts);
  channels.push(c);
  return c;
}

interface Outcome {
  messages: string[];
  end: boolean;
  error?: { code: number; details: string; message: string };
}

/** Runs a chat on either client: sends `requests`, half-closes if asked, resolves with what came back. */
function runChat(
  stream: NodeJS.EventEmitter & { write(b: Buffer): boolean; end(): void },
  requests: string[],
  halfClose = false,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const out: Outcome = { messages: [], end: false };
    stream.on('data', (b: Buffer) => out.messages.push(b.length > 64 ? `<${b.length} bytes>` : b.toString()));
    // 'end' after an error: grpc-js emits it or not, by timing; devnet's handler ends on the first event.
    stream.on('end', () => (out.end = out.error === undefined));
    stream.on(
      'error',
      (e: grpc.ServiceError) => (out.error = { code: e.code, details: e.details, message: e.message }),
    );
    stream.on('status', () => setImmediate(() => resolve(out)));
    for (const r of requests) stream.write(Buffer.from(r));
    if (halfClose) stream.end();
  });
}

function grpcJsChat(port: number, requests: string[], halfClose = false): Promise<Outcome> {
  const c = new GenericClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': 1000,
  });
  return runChat(c.makeBidiStreamRequest(CHAT.path, id, id), requests, halfClose).finally(() => c.close());
}

describe('LeanDuplexStream against a grpc-js server', () => {
  it('exchanges messages and ends with the server as grpc-js does', async () => {
    const ch = lean(ports.plain);
    const got = await runChat(new LeanDuplexStream(ch, CHAT), ['a', 'b', 'many:3'], true);
    expect(got).toEqual({ messages: ['a', 'b', 'm0', 'm1', 'm2'], end: true });
    expect(got).toEqual(await grpcJsChat(ports.plain, ['a', 'b', 'many:3'], true));
    const ended = await runChat(new LeanDuplexStream(ch, CHAT), ['x', 'end-ok']);
    expect(ended).toEqual({ messages: ['x'], end: true });
  });

  it("reports the server's error status with grpc-js's code, decoded details and message", async () => {
    const got = await runChat(new LeanDuplexStream(lean(ports.plain), CHAT), [
      'a',
      `fail:${grpc.status.ABORTED}`,
    ]);
    expect(got.error).toEqual({
      code: grpc.status.ABORTED,
      details: DETAILS,
      message: `10 ABORTED: ${DETAILS}`,
    });
    expect(got).toEqual(await grpcJsChat(ports.plain, ['a', `fail:${grpc.status.ABORTED}`]));
  });

  it('reads a message split across DATA frames, and enforces the receive limit as grpc-js', async () => {
    const big = await runChat(
      new LeanDuplexStream(lean(ports.plain, { maxReceiveMessageLength: -1 }), CHAT),
      ['big:300000'],
      true,
    );
    expect(big.messages).toEqual(['<300000 bytes>']);
    const limited = await runChat(
      new LeanDuplexStream(lean(ports.plain, { maxReceiveMessageLength: 1000 }), CHAT),
      ['big:5000'],
    );
    expect(limited.error).toEqual({
      code: grpc.status.RESOURCE_EXHAUSTED,
      details: 'Received message larger than max (5000 vs 1000)',
      message: '8 RESOURCE_EXHAUSTED: Received message larger than max (5000 vs 1000)',
    });
    expect(limited).toEqual(await grpcJsChat(ports.plain, ['big:5000']));
  });

  it('answers an unknown method with UNIMPLEMENTED (a trailers-only response)', async () => {
    const got = await runChat(new LeanDuplexStream(lean(ports.plain), method('Nope')), ['a']);
    expect(got.error?.code).toBe(grpc.status.UNIMPLEMENTED);
    expect(got.messages).toEqual([]);
  });

  it('cancels: CANCELLED "Cancelled on client", and the server sees the call cancelled', async () => {
    cancelled = new Promise<void>((r) => (onCancelled = r));
    const s = new LeanDuplexStream(lean(ports.plain), CHAT);
    const out = runChat(s, ['a']);
    await new Promise((r) => s.once('data', r));
    s.cancel();
    expect((await out).error).toEqual({
      code: 1,
      details: 'Cancelled on client',
      message: '1 CANCELLED: Cancelled on client',
    });
    await cancelled;
  });

  it('fails at the deadline with DEADLINE_EXCEEDED when the server never answers', async () => {
    const got = await runChat(new LeanDuplexStream(lean(ports.plain), CHAT, { deadline: Date.now() + 200 }), [
      'hang',
    ]);
    expect(got.error).toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED, details: 'Deadline exceeded' });
  });

  it('applies backpressure: write() turns false while the server does not read, then drains', async () => {
    const s = new LeanDuplexStream(lean(ports.plain), CHAT);
    s.on('error', () => undefined);
    s.write(Buffer.from('pause'));
    const chunk = Buffer.alloc(64 * 1024, 1);
    let writes = 0;
    while (s.write(chunk)) if (++writes > 1000) break;
    expect(writes).toBeLessThan(1000);
    const drained = new Promise((r) => s.once('drain', r));
    s.cancel();
    // The stream's queue is flushed or dropped when the call ends; either way write() no longer blocks.
    await Promise.race([drained, new Promise((r) => s.once('status', r))]);
    expect(s.write(chunk)).toBe(false);
  });

  it('speaks TLS with the server name override, and mutual TLS with the client certificate', async () => {
    const rootCert = fs.readFileSync(tls.caCertPath);
    const over = { rootCert, serverNameOverride: 'cc.peer0.test.local' };
    expect(await runChat(new LeanDuplexStream(lean(ports.secure, { tls: over }), CHAT), ['t'], true)).toEqual(
      { messages: ['t'], end: true },
    );
    const wrong = lean(ports.secure, { tls: { rootCert, serverNameOverride: 'other.test.local' } });
    await expect(
      new Promise((res, rej) => wrong.waitForReady(Date.now() + 500, (e) => (e ? rej(e) : res(undefined)))),
    ).rejects.toThrow('Failed to connect before the deadline');
    const noCert = await runChat(new LeanDuplexStream(lean(ports.mutual, { tls: over }), CHAT), ['t'], true);
    expect(noCert.error?.code).toBe(grpc.status.UNAVAILABLE);
    const mtls = lean(ports.mutual, {
      tls: {
        ...over,
        privateKey: fs.readFileSync(client.keyPath),
        certChain: fs.readFileSync(client.certPath),
      },
    });
    expect(await runChat(new LeanDuplexStream(mtls, CHAT), ['m'], true)).toEqual({
      messages: ['m'],
      end: true,
    });
  });

  it('fails waitForReady at the deadline when nothing listens', async () => {
    const srv = http2.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise((r) => srv.close(r));
    const c = lean(port);
    await expect(
      new Promise((res, rej) => c.waitForReady(Date.now() + 300, (e) => (e ? rej(e) : res(undefined)))),
    ).rejects.toThrow('Failed to connect before the deadline');
  });
});

describe('leanUnaryCall against a grpc-js server', () => {
  const call = (ch: LeanChannel, req: string, deadline?: number): Promise<string> =>
    new Promise((resolve, reject) =>
      leanUnaryCall(ch, UNARY, Buffer.from(req), { deadline }, (err, res) =>
        err ? reject(err) : resolve((res as Buffer).toString()),
      ),
    );
  const grpcJs = (req: string): Promise<string> => {
    const c = new GenericClient(`127.0.0.1:${ports.plain}`, grpc.credentials.createInsecure());
    return new Promise<string>((resolve, reject) =>
      c.makeUnaryRequest(UNARY.path, id, id, Buffer.from(req), (err, res) =>
        err ? reject(err) : resolve((res as Buffer).toString()),
      ),
    ).finally(() => c.close());
  };

  it('returns the response, or the error grpc-js gives (trailers-only response)', async () => {
    const ch = lean(ports.plain);
    await expect(call(ch, 'hello')).resolves.toBe('hello');
    const lean9 = await call(ch, 'fail:9').catch((e: grpc.ServiceError) => e);
    const js9 = await grpcJs('fail:9').catch((e: grpc.ServiceError) => e);
    expect(lean9).toMatchObject({ code: 9, details: DETAILS, message: `9 FAILED_PRECONDITION: ${DETAILS}` });
    expect(js9).toMatchObject({ code: 9, details: DETAILS, message: `9 FAILED_PRECONDITION: ${DETAILS}` });
  });

  it('fails at the deadline', async () => {
    await expect(call(lean(ports.plain), 'hang', Date.now() + 200)).rejects.toMatchObject({
      code: grpc.status.DEADLINE_EXCEEDED,
    });
  });
});

/** A plain HTTP/2 server doing what a broken or exotic gRPC server might. */
async function rawServer(
  handler: (stream: http2.ServerHttp2Stream, session: http2.ServerHttp2Session, drop: () => void) => void,
): Promise<[http2.Http2Server, number]> {
  const srv = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  srv.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  // close() waits for open sessions: end them, as a server going away does.
  const close = srv.close.bind(srv);
  srv.close = ((cb?: (err?: Error) => void) => {
    for (const session of sessions) session.destroy();
    return close(cb);
  }) as typeof srv.close;
  const sockets: Socket[] = [];
  srv.on('connection', (socket: Socket) => sockets.push(socket));
  const drop = (): void => {
    for (const socket of sockets) socket.destroy();
  };
  srv.on('stream', (stream) => handler(stream, stream.session as http2.ServerHttp2Session, drop));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return [srv, (srv.address() as AddressInfo).port];
}

describe('LeanDuplexStream against odd servers (same outcome as grpc-js)', () => {
  const servers: http2.Http2Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });

  async function both(
    handler: (stream: http2.ServerHttp2Stream, session: http2.ServerHttp2Session, drop: () => void) => void,
  ): Promise<[Outcome, Outcome]> {
    const [srv, port] = await rawServer(handler);
    servers.push(srv);
    const l = await runChat(new LeanDuplexStream(lean(port, { maxReceiveMessageLength: 1000 }), CHAT), ['a']);
    const g = await grpcJsChat(port, ['a']);
    return [l, g];
  }
  const grpcHeaders = { ':status': 200, 'content-type': 'application/grpc' };

  it('a RST_STREAM after a message', async () => {
    const [l, g] = await both((s) => {
      s.on('error', () => undefined); // the server's side of the reset
      s.respond(grpcHeaders);
      s.write(frameMessage(Buffer.from('r')), () => s.close(http2.constants.NGHTTP2_REFUSED_STREAM));
    });
    expect(l).toEqual({
      messages: ['r'],
      end: false,
      error: {
        code: 14,
        details: 'Stream refused by server',
        message: '14 UNAVAILABLE: Stream refused by server',
      },
    });
    expect(l).toEqual(g);
  });

  it('an HTTP error status without grpc-status', async () => {
    const [l, g] = await both((s) => s.respond({ ':status': 503 }, { endStream: true }));
    expect(l.error).toMatchObject({
      code: grpc.status.UNAVAILABLE,
      details: 'Received HTTP status code 503',
    });
    expect(l).toEqual(g);
  });

  it('a response that ends without trailers', async () => {
    const [l, g] = await both((s) => {
      s.respond(grpcHeaders);
      s.end(frameMessage(Buffer.from('x')));
    });
    expect(l.error).toMatchObject({
      code: grpc.status.INTERNAL,
      details: 'Received RST_STREAM with code 0 (Call ended without gRPC status)',
    });
    expect(l).toEqual(g);
  });

  it('a compressed message', async () => {
    const [l] = await both((s) => {
      s.respond(grpcHeaders, { waitForTrailers: true });
      const f = frameMessage(Buffer.from('z'));
      f[0] = 1;
      s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0' }));
      s.end(f);
    });
    expect(l.error).toMatchObject({
      code: grpc.status.INTERNAL,
      details: expect.stringMatching(/compressed message/),
    });
    expect(l.messages).toEqual([]);
  });

  it('several messages in one DATA frame and one split over three, then trailers with a status', async () => {
    const [l, g] = await both((s) => {
      s.respond(grpcHeaders, { waitForTrailers: true });
      const all = Buffer.concat([
        frameMessage(Buffer.from('p')),
        frameMessage(Buffer.from('q')),
        frameMessage(Buffer.from('split')),
      ]);
      s.write(all.subarray(0, 14));
      s.write(all.subarray(14, 16));
      s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '5', 'grpc-message': 'no%20such%20thing' }));
      s.end(all.subarray(16));
    });
    expect(l).toEqual({
      messages: ['p', 'q', 'split'],
      end: false,
      error: { code: 5, details: 'no such thing', message: '5 NOT_FOUND: no such thing' },
    });
    expect(l).toEqual(g);
  });

  it('the connection dropping under the call', async () => {
    const [l, g] = await both((s, _session, drop) => {
      s.respond(grpcHeaders);
      s.write(frameMessage(Buffer.from('d')), drop);
    });
    expect(l.error?.code).toBe(grpc.status.UNAVAILABLE);
    expect(l).toEqual(g);
  });

  it('GOAWAY: the open call finishes, the next call dials a new connection', async () => {
    let sessions = 0;
    const [srv, port] = await rawServer((s, session) => {
      if ((session as unknown as { n?: number }).n === undefined)
        (session as unknown as { n?: number }).n = ++sessions;
      s.respond(grpcHeaders, { waitForTrailers: true });
      s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0' }));
      s.write(frameMessage(Buffer.from(`s${(session as unknown as { n: number }).n}`)));
      session.goaway(http2.constants.NGHTTP2_NO_ERROR, s.id as number);
      s.end();
    });
    servers.push(srv);
    const ch = lean(port);
    expect(await runChat(new LeanDuplexStream(ch, CHAT), ['a'], true)).toEqual({
      messages: ['s1'],
      end: true,
    });
    expect(await runChat(new LeanDuplexStream(ch, CHAT), ['a'], true)).toEqual({
      messages: ['s2'],
      end: true,
    });
  });

  it('sends keepalive pings while a call is open, as grpc.keepalive_time_ms', async () => {
    let pings = 0;
    const [srv, port] = await rawServer((s, session) => {
      session.on('ping', () => pings++);
      s.respond(grpcHeaders);
    });
    servers.push(srv);
    const st = new LeanDuplexStream(lean(port, { keepaliveTimeMs: 50 }), CHAT);
    st.on('error', () => undefined);
    st.write(Buffer.from('k'));
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (pings >= 2) {
          clearInterval(t);
          resolve();
        }
      }, 20);
    });
    st.cancel();
    expect(pings).toBeGreaterThanOrEqual(2);
  });

  it('sends :authority, te: trailers and application/grpc', async () => {
    let headers: http2.IncomingHttpHeaders = {};
    const [srv, port] = await rawServer((s) => {
      headers =
        s.sentHeaders && (s as unknown as { headers?: http2.IncomingHttpHeaders }).headers ? {} : headers;
      s.respond(grpcHeaders, { endStream: false, waitForTrailers: true });
      s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0' }));
      s.end();
    });
    srv.on('stream', (_s, h) => (headers = h));
    servers.push(srv);
    await runChat(new LeanDuplexStream(lean(port, { authority: 'cc.peer0.test.local' }), CHAT), ['a'], true);
    expect(headers).toMatchObject({
      ':authority': 'cc.peer0.test.local',
      ':method': 'POST',
      ':path': CHAT.path,
      te: 'trailers',
      'content-type': 'application/grpc',
    });
  });
});
