import 'reflect-metadata';
import { KeyObject, sign, verify, webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { common, msp, orderer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import type { SignedData } from '../../protoutil/signeddata';

/**
 * Test helpers for the deliver and orderer unit tests: throwaway identities, signed envelopes,
 * SeekInfo requests and a small policy stand-in. Not used by production code.
 */

x509.cryptoProvider.set(webcrypto as never);

/** An identity for tests: its serialized form and a signing function. */
export interface TestIdentity {
  mspId: string;
  certPem: string;
  serialized: Uint8Array;
  /** The serialized identity (as msp.SigningIdentity.serialize()). */
  serialize(): Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

/** A self-signed P-256 identity of `mspId`, valid from an hour ago until `notAfter` (default: in a year). */
export async function testIdentity(
  mspId: string,
  notAfter = new Date(Date.now() + 365 * 86400_000),
): Promise<TestIdentity> {
  const keys = (await webcrypto.subtle.generateKey(ecdsa, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=user, O=${mspId}`,
    notBefore: new Date(Date.now() - 3600_000),
    notAfter,
    keys: keys as never,
    signingAlgorithm: ecdsa,
  });
  const certPem = cert.toString('pem');
  const key = KeyObject.from(keys.privateKey);
  const sid = new msp.SerializedIdentity();
  sid.setMspid(mspId);
  sid.setIdBytes(Buffer.from(certPem));
  const serialized = sid.serializeBinary();
  return {
    mspId,
    certPem,
    serialized,
    serialize: () => serialized,
    sign: (message) => new Uint8Array(sign('sha256', message, key)),
  };
}

/** Options of {@link signedEnvelope}. */
export interface EnvelopeOptions {
  channelId: string;
  type: number;
  data: Uint8Array;
  signer: TestIdentity;
  txId?: string;
  /** Channel header timestamp; null leaves it out. Default now. */
  timestamp?: Date | null;
}

/** An Envelope with channel and signature headers, signed by `signer` over the payload bytes. */
export function signedEnvelope(o: EnvelopeOptions): common.Envelope {
  const chdr = new common.ChannelHeader();
  chdr.setType(o.type);
  chdr.setChannelId(o.channelId);
  chdr.setTxId(o.txId ?? '');
  const when = o.timestamp === undefined ? new Date() : o.timestamp;
  if (when) {
    const ts = new Timestamp();
    ts.setSeconds(Math.floor(when.getTime() / 1000));
    ts.setNanos((when.getTime() % 1000) * 1e6);
    chdr.setTimestamp(ts);
  }
  const shdr = new common.SignatureHeader();
  shdr.setCreator(o.signer.serialized);
  shdr.setNonce(Uint8Array.of(1, 2, 3, 4));
  const header = new common.Header();
  header.setChannelHeader(chdr.serializeBinary());
  header.setSignatureHeader(shdr.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(o.data);
  const env = new common.Envelope();
  const payloadBytes = payload.serializeBinary();
  env.setPayload(payloadBytes);
  env.setSignature(o.signer.sign(payloadBytes));
  return env;
}

/** A seek position: 'oldest', 'newest' or a block number. */
export type Position = 'oldest' | 'newest' | number;

function position(p: Position): orderer.SeekPosition {
  const pos = new orderer.SeekPosition();
  if (p === 'oldest') pos.setOldest(new orderer.SeekOldest());
  else if (p === 'newest') pos.setNewest(new orderer.SeekNewest());
  else {
    const s = new orderer.SeekSpecified();
    s.setNumber(p);
    pos.setSpecified(s);
  }
  return pos;
}

/** Serialized SeekInfo from `start` to `stop`. */
export function seekInfoBytes(
  start: Position,
  stop: Position,
  behavior: number = orderer.SeekInfo.SeekBehavior.BLOCK_UNTIL_READY,
  contentType: number = orderer.SeekInfo.SeekContentType.BLOCK,
): Uint8Array {
  const si = new orderer.SeekInfo();
  si.setStart(position(start));
  si.setStop(position(stop));
  si.setBehavior(behavior as never);
  si.setContentType(contentType as never);
  return si.serializeBinary();
}

/**
 * A stand-in for a channel's PolicyManager: every policy requires a valid signature from a
 * member of one of `mspIds` (it reads the certificate itself; no MSP validation).
 */
export function memberPolicies(...mspIds: string[]): {
  getPolicy(path: string): { evaluate(sd: SignedData[]): void };
} {
  return {
    getPolicy: (path) => ({
      evaluate(signedData) {
        for (const sd of signedData) {
          const sid = msp.SerializedIdentity.deserializeBinary(sd.identity);
          if (!mspIds.includes(sid.getMspid())) continue;
          const cert = new X509Certificate(Buffer.from(sid.getIdBytes_asU8()));
          if (verify('sha256', sd.data, cert.publicKey, sd.signature)) return;
        }
        throw new Error(`signature set did not satisfy policy ${path}`);
      },
    }),
  };
}
