import * as http2 from 'node:http2';
import { connect as netConnect, isIP } from 'node:net';
import { checkServerIdentity, connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions, PeerCertificate } from 'node:tls';

/** TLS of a {@link LeanChannel}: what grpc-js's `credentials.createSsl` and `grpc.ssl_target_name_override` give. */
export interface LeanChannelTls {
  /** The only root the server's certificate may chain to. */
  rootCert: Buffer;
  /** Client key and certificate for mutual TLS (both or neither). */
  privateKey?: Buffer | null;
  certChain?: Buffer | null;
  /** Verify the server's certificate for this name (and send it as SNI) instead of the address's host. */
  serverNameOverride?: string;
}

/** Options of a {@link LeanChannel}; the defaults are grpc-js's. */
export interface LeanChannelOptions {
  /** Absent: plaintext (h2c). */
  tls?: LeanChannelTls;
  /** :authority of every call (grpc.default_authority); default the override name, else the address. */
  authority?: string;
  /** grpc.max_receive_message_length, default 4 MiB; -1 for no limit. */
  maxReceiveMessageLength?: number;
  /** grpc.max_send_message_length, default -1 (no limit). */
  maxSendMessageLength?: number;
  /** grpc.keepalive_time_ms: ping this long after the last ping while calls are open; absent or <= 0: no pings. */
  keepaliveTimeMs?: number;
  /** grpc.keepalive_timeout_ms, default 20 s: the connection is dropped when a ping is not answered in time. */
  keepaliveTimeoutMs?: number;
}

/** What a channel tells the calls open on it. */
export interface ChannelCall {
  /** The connection the call's stream is on went away. */
  onDisconnect(): void;
}

const DEFAULT_MAX_RECEIVE = 4 * 1024 * 1024;
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 120_000;

/**
 * One HTTP/2 connection to one gRPC server, for devnet's {@link LeanCall}s: what a grpc-js channel to a
 * single address does, without its resolver, load balancer, retry and filter layers. It dials on
 * demand, replaces a connection that closed or received GOAWAY (calls already open on it finish
 * there), tells its calls when their connection drops, keeps the connection referenced only while
 * calls are open, and pings as grpc-js's keepalive options say.
 */
export class LeanChannel {
  readonly authority: string;
  readonly maxReceiveMessageLength: number;
  readonly maxSendMessageLength: number;
  private session: http2.ClientHttp2Session | null = null;
  private connecting: Promise<http2.ClientHttp2Session> | null = null;
  private readonly calls = new Map<ChannelCall, http2.ClientHttp2Session>();
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    readonly address: string,
    private readonly options: LeanChannelOptions = {},
  ) {
    this.authority = options.authority ?? options.tls?.serverNameOverride ?? address;
    this.maxReceiveMessageLength = options.maxReceiveMessageLength ?? DEFAULT_MAX_RECEIVE;
    this.maxSendMessageLength = options.maxSendMessageLength ?? -1;
  }

  /** The connected session new calls go on, or null while there is none. */
  readySession(): http2.ClientHttp2Session | null {
    return this.session;
  }

  /** The connected session, dialing one if there is none (one dial at a time). Rejects with the dial's error. */
  connect(): Promise<http2.ClientHttp2Session> {
    if (this.closed) return Promise.reject(new Error('The channel has been closed'));
    if (this.session) return Promise.resolve(this.session);
    if (!this.connecting) {
      this.connecting = this.dial().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  /**
   * grpc-js's Client.waitForReady: calls back once connected, redialing with grpc-js's backoff (1 s,
   * times 1.6) until `deadline`, then with "Failed to connect before the deadline".
   */
  waitForReady(deadline: Date | number, callback: (err?: Error) => void): void {
    const end = typeof deadline === 'number' ? deadline : deadline.getTime();
    let backoff = INITIAL_BACKOFF_MS;
    const attempt = (): void => {
      this.connect().then(
        () => callback(),
        () => {
          if (this.closed) return callback(new Error('The channel has been closed'));
          const wait = Math.min(backoff, end - Date.now());
          backoff = Math.min(backoff * 1.6, MAX_BACKOFF_MS);
          if (wait <= 0) return callback(new Error('Failed to connect before the deadline'));
          setTimeout(attempt, wait);
        },
      );
    };
    if (end <= Date.now()) {
      setImmediate(() =>
        this.session ? callback() : callback(new Error('Failed to connect before the deadline')),
      );
      return;
    }
    attempt();
  }

  /** A call opened a stream on `session`. */
  register(call: ChannelCall, session: http2.ClientHttp2Session): void {
    this.calls.set(call, session);
    if (this.calls.size === 1) {
      session.ref();
      this.scheduleKeepalive();
    }
  }

  /** A call ended. */
  unregister(call: ChannelCall): void {
    const session = this.calls.get(call);
    if (!session || !this.calls.delete(call)) return;
    if (!this.callsOn(session)) session.unref();
    if (this.calls.size === 0) this.stopKeepalive();
  }

  /** Closes the connection once its open calls end; no new calls. */
  close(): void {
    this.closed = true;
    this.stopKeepalive();
    const session = this.session;
    this.session = null;
    session?.close();
  }

  private callsOn(session: http2.ClientHttp2Session): boolean {
    for (const s of this.calls.values()) if (s === session) return true;
    return false;
  }

  private dial(): Promise<http2.ClientHttp2Session> {
    return new Promise((resolve, reject) => {
      const tls = this.options.tls;
      const host = hostOf(this.address);
      const port = Number(this.address.slice(this.address.lastIndexOf(':') + 1));
      let tlsOptions: ConnectionOptions | undefined;
      if (tls) {
        const override = tls.serverNameOverride;
        tlsOptions = { ca: tls.rootCert, ALPNProtocols: ['h2'] };
        if (tls.privateKey) tlsOptions.key = tls.privateKey;
        if (tls.certChain) tlsOptions.cert = tls.certChain;
        if (override) {
          tlsOptions.servername = override;
          tlsOptions.checkServerIdentity = (_host: string, cert: PeerCertificate) =>
            checkServerIdentity(override, cert);
        } else if (!isIP(host)) {
          tlsOptions.servername = host;
        }
      }
      const opts: http2.ClientSessionOptions = {
        maxSessionMemory: Number.MAX_SAFE_INTEGER,
        maxSendHeaderBlockLength: Number.MAX_SAFE_INTEGER,
        // Our own socket, to turn Nagle's algorithm off as grpc-js does (node's http2.connect leaves it on
        // over TLS): small gRPC frames go out at once, not held for the peer's delayed ACK.
        createConnection: () => {
          const socket = tlsOptions ? tlsConnect(port, host, tlsOptions) : netConnect({ port, host });
          socket.setNoDelay(true);
          return socket;
        },
      };
      const session = http2.connect(`${tls ? 'https' : 'http'}://${this.address}`, opts);
      let settled = false;
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        session.destroy();
        reject(err);
      };
      const closed = (): void => fail(new Error(`connection to ${this.address} closed before it was ready`));
      session.once('error', fail);
      session.once('close', closed);
      // A TLS alert after the handshake (e.g. the server refusing the client certificate) reaches the
      // socket, not always the session (node 20): listen there too, as grpc-js does.
      session.socket.once('error', fail);
      session.socket.once('close', closed);
      session.once('remoteSettings', () => {
        if (settled) return;
        settled = true;
        session.off('error', fail);
        session.off('close', closed);
        session.socket.off('error', fail);
        session.socket.off('close', closed);
        if (this.closed) {
          session.destroy();
          reject(new Error('The channel has been closed'));
          return;
        }
        this.adopt(session);
        resolve(session);
      });
    });
  }

  private adopt(session: http2.ClientHttp2Session): void {
    this.session = session;
    session.unref();
    const retire = (): void => {
      if (this.session === session) this.session = null;
    };
    let gone = false;
    const disconnected = (): void => {
      if (gone) return;
      gone = true;
      retire();
      session.destroy();
      for (const [call, s] of [...this.calls]) if (s === session) call.onDisconnect();
    };
    session.on('error', retire);
    session.once('goaway', retire);
    session.once('close', disconnected);
    session.socket.on('error', disconnected);
    session.socket.once('close', disconnected);
  }

  private scheduleKeepalive(): void {
    const time = this.options.keepaliveTimeMs ?? -1;
    if (time <= 0 || this.keepaliveTimer || this.calls.size === 0) return;
    this.keepaliveTimer = setTimeout(() => this.ping(), time);
    this.keepaliveTimer.unref();
  }

  private stopKeepalive(): void {
    if (this.keepaliveTimer) clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = null;
  }

  private ping(): void {
    this.keepaliveTimer = null;
    const session = this.session;
    if (!session || this.calls.size === 0) return;
    const timeout = setTimeout(() => session.destroy(), this.options.keepaliveTimeoutMs ?? 20_000);
    timeout.unref();
    let sent = false;
    try {
      sent = session.ping((err) => {
        clearTimeout(timeout);
        if (err) session.destroy();
        else this.scheduleKeepalive();
      });
    } catch {
      sent = false;
    }
    if (!sent) {
      clearTimeout(timeout);
      session.destroy();
    }
  }
}

function hostOf(address: string): string {
  if (address.startsWith('[')) return address.slice(1, address.indexOf(']'));
  const i = address.lastIndexOf(':');
  return i < 0 ? address : address.slice(0, i);
}
