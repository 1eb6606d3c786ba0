import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import QRCode from 'qrcode';
import { legacyDocumentHash, saltedDocumentHash } from './commitment';
import { buildHolderDocument, holderDocumentFile, recomputeHash, type HolderDocumentInput } from './holder';
import { qrPng, qrSvg, verifyLink } from './qr';
import { newSalt } from './salt';

const SALT = 'a5'.repeat(32);
const document = {
  degree: 'BSc Computer Science',
  grade: 1.0,
  year: 2024,
  name: 'Ana Lima',
  birthDate: '2001-04-09',
};

describe('hash scheme 2 in the gateway', () => {
  it("matches the chaincode's: SHA-256 of RFC 8785 {document, recordId, salt, scheme: 2}", () => {
    // the value chaincode/src/contracts/ledger.test.ts expects for the same inputs, spelled out
    const expected = createHash('sha256')
      .update(
        '{"document":{"birthDate":"2001-04-09","degree":"BSc Computer Science","grade":1,"name":"Ana Lima","year":2024},' +
          `"recordId":"EDU-2025-000123","salt":"${SALT}","scheme":2}`,
      )
      .digest('hex');
    expect(saltedDocumentHash('EDU-2025-000123', document, SALT)).toBe(expected);
    expect(saltedDocumentHash('EDU-2025-000124', document, SALT)).not.toBe(expected);
    expect(legacyDocumentHash(document)).toBe(
      createHash('sha256').update(canonicalize(document)!).digest('hex'),
    );
  });

  it('draws 256-bit salts that differ', () => {
    const [a, b] = [newSalt(), newSalt()];
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(false);
  });
});

describe("the holder's document", () => {
  const input: HolderDocumentInput = {
    recordId: 'EDU-2025-000123',
    recordType: 'education.credential',
    category: 'G2C',
    subjectRef: 'psn:9f86d081884c7d659a2feaa0c55ad015',
    issuerMsp: 'EducationMSP',
    issuedAt: '2025-03-01T09:00:02.000Z',
    schemaVersion: 1,
    document,
    hashScheme: 2,
    salt: SALT,
    hash: saltedDocumentHash('EDU-2025-000123', document, SALT),
    transactionId: 'f'.repeat(64),
    verifyUrl: 'https://verify.gov.example/verify/?record=EDU-2025-000123',
  };

  it('is shaped after a W3C Verifiable Credential and carries the fields, the salt and the record id', () => {
    const doc = buildHolderDocument(input);
    expect(doc).toMatchObject({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: 'urn:govfabric:record:EDU-2025-000123',
      type: ['VerifiableCredential', 'GovernmentRecord'],
      issuer: { id: 'urn:govfabric:ministry:EducationMSP' },
      validFrom: '2025-03-01T09:00:02.000Z',
      credentialSubject: { id: 'urn:govfabric:subject:psn:9f86d081884c7d659a2feaa0c55ad015', document },
      credentialSchema: { id: 'urn:govfabric:schema:education.credential:1', type: 'JsonSchema' },
      credentialStatus: { id: input.verifyUrl, type: 'GovfabricLedgerStatus' },
      evidence: [{ hashScheme: 2, recordId: 'EDU-2025-000123', salt: SALT, documentHash: input.hash }],
    });
    expect(JSON.parse(holderDocumentFile(doc))).toEqual(doc);
    expect(holderDocumentFile(doc)).toBe(canonicalize(doc));
  });

  it('verifies by recomputation: the hash comes back from the fields and salt, and one changed field breaks it', () => {
    const doc = buildHolderDocument(input);
    expect(recomputeHash(doc)).toBe(input.hash);
    const tampered = JSON.parse(holderDocumentFile(doc)) as typeof doc;
    tampered.credentialSubject.document.year = 2023;
    expect(recomputeHash(tampered)).not.toBe(input.hash);
    // a forged documentHash is ignored: the hash is recomputed
    tampered.evidence[0].documentHash = input.hash;
    expect(recomputeHash(tampered)).not.toBe(input.hash);
  });

  it('recomputes scheme 1 documents (no salt) the old way', () => {
    const legacy = buildHolderDocument({
      ...input,
      hashScheme: 1,
      salt: undefined,
      hash: legacyDocumentHash(document),
    });
    expect(legacy.evidence[0]).not.toHaveProperty('salt');
    expect(recomputeHash(legacy)).toBe(legacyDocumentHash(document));
  });
});

describe('the QR code', () => {
  const hash = 'ab'.repeat(32);

  it('links to the verification page with the record id and hash, and nothing personal or secret', () => {
    const link = verifyLink('https://verify.gov.example', 'EDU-2025/7', hash);
    expect(link).toBe(`https://verify.gov.example/verify/?record=EDU-2025%2F7&hash=${hash}`);
    expect([...new URL(link).searchParams.keys()]).toEqual(['record', 'hash']);
    expect(link).not.toContain(SALT);
  });

  it('encodes that link in SVG and PNG', async () => {
    const link = verifyLink('http://127.0.0.1:3000', 'EDU-2025-000123', hash);
    const svg = await qrSvg(link);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<path');
    const png = await qrPng(link);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // the same link as qrcode's own segment model: the code holds exactly the link
    const model = QRCode.create(link, { errorCorrectionLevel: 'M' });
    const text = model.segments
      .map((s: { data: Uint8Array | string }) => Buffer.from(s.data).toString())
      .join('');
    expect(text).toBe(link);
  }, 60_000); // generous: the machine is shared, and nothing here waits on time
});
