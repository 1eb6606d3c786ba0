import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// @peculiar/x509 needs reflect-metadata (imported first) and a WebCrypto implementation: Node's.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** Node's WebCrypto `subtle`, the one @peculiar/x509 is configured with. */
export const subtle = webcrypto.subtle;

/** A WebCrypto key (Node's type: the project compiles without the DOM library). */
export type CryptoKey = webcrypto.CryptoKey;

/** @peculiar/x509, configured with Node's WebCrypto. Import it from here so the provider is always set. */
export { x509 };
