import QRCode from 'qrcode';

/**
 * The QR code printed on a government document. Its link opens the public verification page for
 * the record and carries only the record id and the document hash:
 * - never personal data: a QR is read by anyone who sees the paper, and its link lands in browser
 *   histories and server logs;
 * - never the salt: with the salt and the hash, whoever scans the code could test guesses of the
 *   personal fields (a birth date in some 40,000 tries), which is what salting prevents. The salt
 *   stays in the holder's JSON file and the issuer's private data.
 * The id and the salted hash reveal nothing personal; together they let the page check that the
 * ledger holds this exact document under this record, and show its status.
 */

/** Path of the verification page (served by the gateway). */
export const VERIFY_PAGE_PATH = '/verify/';

/** The link a record's QR code carries. */
export function verifyLink(publicUrl: string, recordId: string, hash: string): string {
  const url = new URL(VERIFY_PAGE_PATH, publicUrl);
  url.searchParams.set('record', recordId);
  url.searchParams.set('hash', hash);
  return url.toString();
}

/** QR options: medium error correction survives a crease or a stamp on the printed code. */
const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 2 } as const;

/** The QR code of a link as an SVG document. */
export async function qrSvg(link: string): Promise<string> {
  return QRCode.toString(link, { ...QR_OPTIONS, type: 'svg' });
}

/** The QR code of a link as a PNG image. */
export async function qrPng(link: string): Promise<Buffer> {
  return QRCode.toBuffer(link, { ...QR_OPTIONS, type: 'png', width: 320 });
}
