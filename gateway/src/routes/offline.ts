import { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { OfflineTransactions, Signable } from '../fabric/offline';
import { validateRequest } from '../validation';
import { requireJson } from './common';

/** Standard base64 of at most `max` characters (the bytes and signatures of the flow). */
const base64 = (max: number) => z.base64('standard base64').min(1).max(max);
/** A signature: DER ECDSA is at most 72 bytes; base64 of it at most 96 characters. */
const signature = base64(128);
const message = base64(1_400_000);

/** Body of `POST /proposals`. */
export const proposeBody = z.strictObject({
  certificate: z
    .string()
    .min(1)
    .max(16_384)
    .describe('PEM certificate of your identity in this ministry (you keep its key)'),
  transaction: z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9]{0,63}:[A-Za-z][A-Za-z0-9]{0,63}$/,
      'a qualified transaction name, e.g. ledger:RegisterRecord',
    ),
  arguments: z.array(z.string().max(262_144)).max(32).default([]),
  transient: z
    .record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a transient key: 1-64 of A-Z a-z 0-9 _ . -'), message)
    .refine((map) => Object.keys(map).length <= 16, 'at most 16 transient entries')
    .optional()
    .describe('transient map, values base64: sent to the endorsers only, never ordered'),
});
/** Body of `POST /evaluations` and `POST /endorsements`. */
export const signedProposalBody = z.strictObject({ proposal: message, signature });
/** Body of `POST /submissions`. */
export const signedTransactionBody = z.strictObject({ transaction: message, signature });
/** Body of `POST /commits`. */
export const signedCommitBody = z.strictObject({ commit: message, signature });

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const bytes = (text: string): Uint8Array => Buffer.from(text, 'base64');

/** `{transactionId, <name>: bytes, digest}`: what the client signs next. */
function toSign(name: string, s: Signable): Record<string, string> {
  return { transactionId: s.transactionId, [name]: b64(s.bytes), digest: b64(s.digest) };
}

/**
 * `/api/v1/offline`: fabric-gateway's offline signing flow over HTTP, for clients that keep their
 * own private key (see gateway/README.md and examples/offline-signing). Each answer carries the
 * next bytes and their SHA-256 `digest`; the client signs the digest (ECDSA P-256, DER, low S)
 * and sends bytes and signature back. Bytes and signatures are standard base64.
 */
export function offlineRouter(offline: OfflineTransactions): Router {
  const router = Router();
  router.post('/proposals', requireJson, (req: Request, res: Response) => {
    const body = validateRequest(proposeBody, req.body, 'body');
    const transient =
      body.transient === undefined
        ? undefined
        : Object.fromEntries(Object.entries(body.transient).map(([k, v]) => [k, bytes(v)]));
    res.status(200).json(toSign('proposal', offline.propose({ ...body, transient })));
  });
  router.post('/evaluations', requireJson, async (req: Request, res: Response) => {
    const body = validateRequest(signedProposalBody, req.body, 'body');
    const { transactionId, result } = await offline.evaluate(bytes(body.proposal), bytes(body.signature));
    res.status(200).json({ transactionId, result: b64(result) });
  });
  router.post('/endorsements', requireJson, async (req: Request, res: Response) => {
    const body = validateRequest(signedProposalBody, req.body, 'body');
    const endorsed = await offline.endorse(bytes(body.proposal), bytes(body.signature));
    res.status(200).json({ ...toSign('transaction', endorsed), result: b64(endorsed.result) });
  });
  router.post('/submissions', requireJson, async (req: Request, res: Response) => {
    const body = validateRequest(signedTransactionBody, req.body, 'body');
    res
      .status(200)
      .json(toSign('commit', await offline.submit(bytes(body.transaction), bytes(body.signature))));
  });
  router.post('/commits', requireJson, async (req: Request, res: Response) => {
    const body = validateRequest(signedCommitBody, req.body, 'body');
    res.status(200).json(await offline.commitStatus(bytes(body.commit), bytes(body.signature)));
  });
  return router;
}
