import * as fs from 'node:fs';
import * as path from 'node:path';
import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { msp as mspProto } from '@hyperledger/fabric-protos';
import { signECDSA, signECDSAAsync } from './ecdsa';

function firstFile(dir: string, what: string): string {
  let names: string[];
  try {
    names = fs
      .readdirSync(dir)
      .filter((n) => fs.statSync(path.join(dir, n)).isFile())
      .sort();
  } catch (err) {
    throw new Error(`cannot read ${what} folder ${dir}: ${(err as Error).message}`);
  }
  if (names.length === 0) throw new Error(`no ${what} file in ${dir}`);
  return path.join(dir, names[0]);
}

/**
 * An identity that can sign (fabric msp.SigningIdentity): ECDSA over SHA-256 with low S, DER
 * encoded, and serialized as msp.SerializedIdentity{mspid, id_bytes = the certificate PEM}.
 */
export class SigningIdentity {
  private readonly serialized: Uint8Array;

  private constructor(
    readonly mspId: string,
    /** The certificate PEM exactly as read (it is what id_bytes carries). */
    readonly certPem: string,
    private readonly privateKey: KeyObject,
  ) {
    const cert = new X509Certificate(certPem);
    if (!cert.checkPrivateKey(privateKey))
      throw new Error(`private key does not match the certificate of ${mspId}`);
    const sid = new mspProto.SerializedIdentity();
    sid.setMspid(mspId);
    sid.setIdBytes(Buffer.from(certPem, 'utf8'));
    this.serialized = sid.serializeBinary();
  }

  /**
   * Loads the first `signcerts/*` certificate and the first `keystore/*` key (PKCS#8 PEM) of a
   * cryptogen MSP folder.
   */
  static fromMSPDir(mspDir: string, mspId: string): SigningIdentity {
    const certPath = firstFile(path.join(mspDir, 'signcerts'), 'signcerts');
    const keyPath = firstFile(path.join(mspDir, 'keystore'), 'keystore');
    return SigningIdentity.fromFiles(mspId, certPath, keyPath);
  }

  /** Loads a certificate PEM file and its private key PEM file. */
  static fromFiles(mspId: string, certPath: string, keyPath: string): SigningIdentity {
    return SigningIdentity.fromPem(
      mspId,
      fs.readFileSync(certPath, 'utf8'),
      fs.readFileSync(keyPath, 'utf8'),
    );
  }

  /** From PEM text of a certificate and its private key. */
  static fromPem(mspId: string, certPem: string, keyPem: string): SigningIdentity {
    let key: KeyObject;
    try {
      key = createPrivateKey(keyPem);
    } catch (err) {
      throw new Error(`cannot read the private key of ${mspId}: ${(err as Error).message}`);
    }
    return new SigningIdentity(mspId, certPem, key);
  }

  /** msp.SerializedIdentity bytes (the creator / endorser field). */
  serialize(): Uint8Array {
    return this.serialized;
  }

  /** ECDSA signature over SHA-256(message), DER, low S. */
  sign(message: Uint8Array): Uint8Array {
    return signECDSA(this.privateKey, message);
  }

  /** {@link sign} with the ECDSA on libuv's thread pool, so the main thread goes on meanwhile. */
  signAsync(message: Uint8Array): Promise<Uint8Array> {
    return signECDSAAsync(this.privateKey, message);
  }
}
