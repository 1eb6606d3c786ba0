import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { NextFunction, Request, RequestHandler, Response } from 'express';
import { Logger } from 'pino';
import { currentCaller } from '../auth/caller';
import { ApiError } from '../errors';
import { currentContext, RequestContext } from '../ops/context';
import { IdempotencyStore, StoredResponse } from './store';

/** The request header carrying the key (IETF draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Set on an answer replayed from an earlier request with the same key. */
export const REPLAYED_HEADER = 'idempotent-replayed';
/** A key: 1-255 visible ASCII characters (a UUID is the usual choice). */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Headers of an outcome that a replay repeats (others, such as the request id, are per request). */
const KEPT_HEADERS = ['content-type', 'location', 'transaction-attempts'];
/** Largest body kept; larger answers are not kept (submits answer a few hundred bytes). */
const MAX_KEPT_BODY_BYTES = 256 * 1024;

/** What a request with a key waits for while the first request with that key runs. */
interface InFlight {
  fingerprint: string;
  /** The first request's answer, or undefined when it ended without one. */
  done: Promise<StoredResponse | undefined>;
}

/** The caller a key belongs to: two callers' identical keys never meet. */
function callerScope(): string {
  const caller = currentCaller();
  if (caller === undefined) return 'anonymous';
  return 'public' in caller ? 'public' : `${caller.principal.kind}:${caller.principal.enrollmentId}`;
}

/** SHA-256 of the request: method, path and the body as canonical JSON (RFC 8785). */
function fingerprintOf(req: Request): string {
  return createHash('sha256')
    .update(`${req.method} ${req.originalUrl}\n${canonicalize(req.body ?? null) ?? ''}`)
    .digest('hex');
}

function reused(): ApiError {
  return new ApiError(
    'IDEMPOTENCY_CONFLICT',
    'this Idempotency-Key was used for a different request (method, path or body); use a new key for a new request',
  );
}

/** Answers `stored` again, marked as a replay. */
function replay(res: Response, stored: StoredResponse): void {
  res.status(stored.status).set(stored.headers).set(REPLAYED_HEADER, 'true');
  res.send(Buffer.from(stored.body, 'base64'));
}

/**
 * Whether an outcome is final, to be kept: a transaction was proposed and the answer is not a 5xx
 * (then nothing was ordered, and a retry may try again; an unknown outcome is a 202).
 */
function keepable(status: number, context: RequestContext | undefined): boolean {
  return status < 500 && context?.transactionId !== undefined;
}

/**
 * Calls `onAnswer` with the response as it is sent (status, kept headers, body), or with
 * undefined when the request ends without a complete answer.
 */
function captureAnswer(res: Response, fingerprint: string, onAnswer: (r?: StoredResponse) => void): void {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  let streamed = false;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  res.write = ((...args: unknown[]) => {
    streamed = true;
    return write(...args);
  }) as Response['write'];
  res.end = ((...args: unknown[]) => {
    const [chunk, encoding] = args;
    if (!streamed && (chunk === undefined || typeof chunk === 'string' || Buffer.isBuffer(chunk))) {
      const body =
        typeof chunk === 'string'
          ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
          : (chunk ?? Buffer.alloc(0));
      const headers: Record<string, string> = {};
      for (const name of KEPT_HEADERS) {
        const value = res.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      onAnswer(
        body.length <= MAX_KEPT_BODY_BYTES
          ? {
              fingerprint,
              status: res.statusCode,
              headers,
              body: body.toString('base64'),
              storedAt: Date.now(),
            }
          : undefined,
      );
    } else {
      onAnswer(undefined);
    }
    return end(...args);
  }) as Response['end'];
  res.once('close', () => onAnswer(undefined));
}

/**
 * `Idempotency-Key` on submitting requests (POST): the first request with a key runs; its outcome
 * (once a transaction was proposed, and not a 5xx) is kept in `store`, and every later request of
 * the same caller with the same key and the same method, path and body gets that answer again
 * (`Idempotent-Replayed: true`) without a new transaction. Requests arriving while the first runs
 * wait for it (within this gateway process). The same key with a different request is 422
 * IDEMPOTENCY_CONFLICT. Requests without the header are not affected.
 */
export function idempotency(store: IdempotencyStore, logger: Logger): RequestHandler {
  const inFlight = new Map<string, InFlight>();

  const handle = async (req: Request, res: Response, next: NextFunction, key: string): Promise<void> => {
    const scoped = `${callerScope()}\n${key}`;
    const fingerprint = fingerprintOf(req);
    const running = inFlight.get(scoped);
    if (running !== undefined) {
      if (running.fingerprint !== fingerprint) throw reused();
      const answer = await running.done;
      // The first request ended without an answer: this one runs instead.
      if (answer === undefined) return handle(req, res, next, key);
      replay(res, answer);
      return;
    }
    let settle!: (answer: StoredResponse | undefined) => void;
    const done = new Promise<StoredResponse | undefined>((resolve) => (settle = resolve));
    inFlight.set(scoped, { fingerprint, done });
    let stored: StoredResponse | undefined;
    try {
      stored = await store.get(scoped);
    } catch (err) {
      inFlight.delete(scoped);
      settle(undefined);
      throw err;
    }
    if (stored !== undefined) {
      inFlight.delete(scoped);
      settle(stored.fingerprint === fingerprint ? stored : undefined);
      if (stored.fingerprint !== fingerprint) throw reused();
      replay(res, stored);
      return;
    }
    const context = currentContext();
    let settled = false;
    captureAnswer(res, fingerprint, (answer) => {
      if (settled) return;
      settled = true;
      const keep = answer !== undefined && keepable(answer.status, context);
      const kept = keep ? store.put(scoped, answer) : Promise.resolve();
      kept
        .catch((err: unknown) => logger.error({ err }, 'could not keep an idempotent outcome'))
        .finally(() => {
          inFlight.delete(scoped);
          settle(answer);
        });
    });
    next();
  };

  return (req, res, next) => {
    const key = req.get(IDEMPOTENCY_KEY_HEADER);
    if (req.method !== 'POST' || key === undefined) return next();
    if (!KEY_PATTERN.test(key)) {
      throw new ApiError(
        'VALIDATION_FAILED',
        'the Idempotency-Key header must be 1-255 visible ASCII characters (a UUID, say)',
      );
    }
    handle(req, res, next, key).catch(next);
  };
}
