/** What protoutil needs to sign: a serialized identity and a signing function (fabric protoutil.Signer). */
export interface Signer {
  /** The msp.SerializedIdentity bytes of the signer. */
  serialize(): Uint8Array;
  /** ECDSA over SHA-256 of `message`, DER, low-S. */
  sign(message: Uint8Array): Uint8Array;
}
