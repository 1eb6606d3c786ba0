import { NextFunction, Request, Response } from 'express';
import { HASH_PATTERN } from 'egov/dist/vocabulary';
import { z } from 'zod';
import { SubmitResult } from '../chaincode/client';
import { ApiError } from '../errors';

/** Refuses bodies that are not JSON (express.json leaves them unparsed). */
export function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is('application/json')) {
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      'the request body must be JSON (Content-Type: application/json)',
    );
  }
  next();
}

/** `?pageSize=1..100&bookmark=...` (the chaincode's page bounds; default 20, first page). */
export const pageQuerySchema = z.object({
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  bookmark: z.string().max(1024).default(''),
});

/**
 * A transaction id (or an object named by the transaction that created it): Fabric's is the
 * SHA-256 of nonce and creator, 64 lower-case hex characters like egov's hashes.
 * @param message - what a wrong value is told, naming the object.
 */
export function transactionIdSchema(message: string) {
  return z.string().regex(HASH_PATTERN, message);
}

/** A reason stored on chain: never personal data. */
export const reasonSchema = z.string().min(1).max(300);

/** `?at=` an ISO 8601 time, or absent for "now" (the transaction time). */
export const atSchema = z.string().min(1).max(64).optional();

/** An object result of a committed transaction, plus its transaction id and block. */
export function submittedBody(submitted: SubmitResult): Record<string, unknown> {
  const result =
    submitted.result !== null && typeof submitted.result === 'object' && !Array.isArray(submitted.result)
      ? (submitted.result as Record<string, unknown>)
      : { result: submitted.result };
  return { ...result, transactionId: submitted.transactionId, blockNumber: submitted.blockNumber };
}
