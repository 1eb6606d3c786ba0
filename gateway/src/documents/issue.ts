import { LEGACY_HASH_SCHEME } from 'egov/dist/vocabulary';
import { z } from 'zod';
import { ApiError } from '../errors';
import { JsonObject } from './commitment';
import { buildHolderDocument, recomputeHash, type HolderDocument } from './holder';
import { qrPng, qrSvg, verifyLink } from './qr';

/** What issuing answers besides the registration: the holder's document and its verification link. */
export interface IssuedDocument {
  /** The JSON document the holder keeps (its RFC 8785 form is the file to hand over). */
  document: HolderDocument;
  /** The verification page's link for the record: what the QR code carries. */
  verifyUrl: string;
}

/** The QR code of a verification link: an SVG document and a PNG data URL. */
export interface QrCodes {
  svg: string;
  png: string;
}

/** The public facts of a record (as `ledger:GetRecord` answers them) the holder's document needs. */
const recordFacts = z.looseObject({
  id: z.string(),
  recordType: z.string(),
  category: z.string(),
  subjectRef: z.string(),
  issuerMsp: z.string(),
  createdAt: z.string(),
  schemaVersion: z.number().int().optional(),
  hash: z.string(),
  hashScheme: z.number().int().optional(),
  registeredTxId: z.string().optional(),
  txId: z.string(),
});

/** A record's public facts the holder's document states. */
export type RecordFacts = z.infer<typeof recordFacts>;

/**
 * Builds the holder's document of a record from its public facts on the ledger (what RegisterRecord
 * returned, or `ledger:GetRecord`), its whole document (public and personal fields) and its salt,
 * and checks that the document recomputes to the hash the ledger holds, so a holder is never handed
 * a file that does not verify. CPU only: no ledger read, no QR code (see {@link qrCodes}).
 * @param publicUrl - the origin the verification page is served at (the QR code links there).
 * @throws ApiError BAD_CHAINCODE_RESPONSE when the record or the hash does not match.
 */
export function issueDocument(
  record: unknown,
  fields: JsonObject,
  salt: string | undefined,
  publicUrl: string,
): IssuedDocument {
  const parsed = recordFacts.safeParse(record);
  if (!parsed.success) {
    throw new ApiError('BAD_CHAINCODE_RESPONSE', 'the ledger answered a record without its public facts');
  }
  const facts = parsed.data;
  const verifyUrl = verifyLink(publicUrl, facts.id, facts.hash);
  const document = buildHolderDocument({
    recordId: facts.id,
    recordType: facts.recordType,
    category: facts.category,
    subjectRef: facts.subjectRef,
    issuerMsp: facts.issuerMsp,
    issuedAt: facts.createdAt,
    schemaVersion: facts.schemaVersion ?? 1,
    document: fields,
    hashScheme: facts.hashScheme ?? LEGACY_HASH_SCHEME,
    ...(salt === undefined ? {} : { salt }),
    hash: facts.hash,
    transactionId: facts.registeredTxId ?? facts.txId,
    verifyUrl,
  });
  if (recomputeHash(document) !== facts.hash) {
    throw new ApiError(
      'BAD_CHAINCODE_RESPONSE',
      `the document of record ${facts.id} does not recompute to the hash on the ledger`,
    );
  }
  return { document, verifyUrl };
}

/**
 * The QR code of a verification link, as SVG and as a PNG data URL. Drawing them costs far more CPU
 * than the rest of a registration's answer (the PNG most), so they are drawn only when asked.
 */
export async function qrCodes(verifyUrl: string): Promise<QrCodes> {
  const png = await qrPng(verifyUrl);
  return { svg: await qrSvg(verifyUrl), png: `data:image/png;base64,${png.toString('base64')}` };
}
