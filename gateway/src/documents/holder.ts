import canonicalize from 'canonicalize';
import { LEGACY_HASH_SCHEME } from 'egov/dist/vocabulary';
import { JsonObject, legacyDocumentHash, saltedDocumentHash } from './commitment';

/** What the holder's document is built from: the record's public facts, its fields and its salt. */
export interface HolderDocumentInput {
  recordId: string;
  recordType: string;
  category: string;
  subjectRef: string;
  issuerMsp: string;
  /** When the record was registered (transaction time, ISO 8601). */
  issuedAt: string;
  schemaVersion: number;
  /** The whole document: public and personal fields. */
  document: JsonObject;
  /** Hash scheme of the record (2: salted; 1: records registered before salts, no salt). */
  hashScheme: number;
  /** Hex salt of the commitment (scheme 2). */
  salt?: string;
  /** The document hash the ledger holds. */
  hash: string;
  /** Transaction that registered the record. */
  transactionId: string;
  /** The verification page's link for this record (what the QR code carries). */
  verifyUrl: string;
}

/** The ledger commitment of a holder's document: what verification recomputes. */
export interface LedgerCommitment {
  type: ['GovfabricLedgerCommitment'];
  hashScheme: number;
  recordId: string;
  recordType: string;
  category: string;
  salt?: string;
  documentHash: string;
  transactionId: string;
}

/**
 * The document a holder keeps, shaped after the W3C Verifiable Credentials Data Model 2.0 where
 * it fits (`@context`, `type`, `issuer`, `validFrom`, `credentialSubject`, `credentialSchema`,
 * `credentialStatus`, `evidence`). It is not a signed credential and has no `proof`: what proves
 * it is the salted commitment on the ledger, in `evidence`, which anyone can recompute from the
 * file and look up. The record's fields sit under `credentialSubject.document`, exactly as hashed.
 */
export interface HolderDocument {
  '@context': string[];
  id: string;
  type: string[];
  issuer: { id: string };
  validFrom: string;
  credentialSubject: { id: string; document: JsonObject };
  credentialSchema: { id: string; type: 'JsonSchema' };
  credentialStatus: { id: string; type: 'GovfabricLedgerStatus' };
  evidence: [LedgerCommitment];
}

/** The VC 2.0 base context. */
const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

/** Builds the holder's document of a record. */
export function buildHolderDocument(input: HolderDocumentInput): HolderDocument {
  return {
    '@context': [VC_CONTEXT],
    id: `urn:govfabric:record:${input.recordId}`,
    type: ['VerifiableCredential', 'GovernmentRecord'],
    issuer: { id: `urn:govfabric:ministry:${input.issuerMsp}` },
    validFrom: input.issuedAt,
    credentialSubject: { id: `urn:govfabric:subject:${input.subjectRef}`, document: input.document },
    credentialSchema: {
      id: `urn:govfabric:schema:${input.recordType}:${input.schemaVersion}`,
      type: 'JsonSchema',
    },
    credentialStatus: { id: input.verifyUrl, type: 'GovfabricLedgerStatus' },
    evidence: [
      {
        type: ['GovfabricLedgerCommitment'],
        hashScheme: input.hashScheme,
        recordId: input.recordId,
        recordType: input.recordType,
        category: input.category,
        ...(input.salt === undefined ? {} : { salt: input.salt }),
        documentHash: input.hash,
        transactionId: input.transactionId,
      },
    ],
  };
}

/**
 * Recomputes the hash a holder's document commits to, from its fields and salt alone (never from
 * the `documentHash` it states, which a forger could set to anything). The verification page does
 * the same in the browser.
 */
export function recomputeHash(doc: HolderDocument): string {
  const [commitment] = doc.evidence;
  const fields = doc.credentialSubject.document;
  if (commitment.hashScheme === LEGACY_HASH_SCHEME) return legacyDocumentHash(fields);
  if (commitment.salt === undefined) throw new Error('a scheme 2 document must carry its salt');
  return saltedDocumentHash(commitment.recordId, fields, commitment.salt);
}

/** The file the holder downloads: the document in RFC 8785 form. */
export function holderDocumentFile(doc: HolderDocument): string {
  return canonicalize(doc) ?? '';
}
