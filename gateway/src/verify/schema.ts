import { SUBJECT_REF_PATTERN } from 'egov/dist/vocabulary';
import { z } from 'zod';
import { recordHashSchema, recordIdSchema } from '../records/schema';
import { pageQuerySchema } from '../routes/common';

/**
 * Body of `POST /api/v1/verifications`: what the verification page sends after hashing the
 * holder's file in the browser (record id and hash), or after a QR link (the same two), or a
 * record id alone. Never the document itself.
 */
export const verifyBody = z
  .strictObject({
    recordId: recordIdSchema.optional(),
    hash: recordHashSchema.optional(),
  })
  .refine((body) => body.recordId !== undefined || body.hash !== undefined, {
    message: 'send recordId, hash or both',
  });

/** A verification request as the service takes it. */
export type VerifyRequest = z.infer<typeof verifyBody>;

/** Query of `GET /api/v1/verifications`: a subject's pseudonymous reference and a page. */
export const listVerificationsQuery = pageQuerySchema.extend({
  subjectRef: z
    .string()
    .regex(SUBJECT_REF_PATTERN, 'a pseudonymous reference: 16-128 characters of A-Z a-z 0-9 . _ : -'),
});
