import { z } from 'zod';
import { ApiError } from '../errors';
import { JsonObject } from './commitment';
import { buildHolderDocument, recomputeHash, type HolderDocument } from './holder';
import { qrPng, qrSvg, verifyLink } from './qr';

/** What issuing answers besides the registration: the holder's document and its QR code. */
export interface IssuedDocument {
  /** The JSON document the holder keeps (its RFC 8785 form is the file to hand over). */
  document: HolderDocument;
  /** The verification page's link for the record: what the QR code carries. */
  verifyUrl: string;
  /** The QR code of `verifyUrl`: an SVG document and a PNG data URL. */
  qr: { svg: string; png: string };
}

/** The public facts of `ledger:GetRecord` the holder's document needs. */
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

/**
 * Builds the holder's document of a record from its public facts on the ledger (`ledger:GetRecord`),
 * its whole document (public and personal fields) and its salt, and checks that the document
 * recomputes to the hash the ledger holds, so a holder is never handed a file that does not verify.
 * @param publicUrl - the origin the verification page is served at (the QR code links there).
 * @throws ApiError BAD_CHAINCODE_RESPONSE when the record or the hash does not match.
 */
export async function issueDocument(
  record: unknown,
  fields: JsonObject,
  salt: string | undefined,
  publicUrl: string,
): Promise<IssuedDocument> {
  const parsed = recordFacts.safeParse(record);
  if (!parsed.success) {
    throw new ApiError(
      'BAD_CHAINCODE_RESPONSE',
      'ledger:GetRecord returned a record without its public facts',
    );
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
    hashScheme: facts.hashScheme ?? 1,
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
  const png = await qrPng(verifyUrl);
  return {
    document,
    verifyUrl,
    qr: { svg: await qrSvg(verifyUrl), png: `data:image/png;base64,${png.toString('base64')}` },
  };
}
