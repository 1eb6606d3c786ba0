import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as x509 from '@peculiar/x509';
import { connect, hash, signers, type Gateway, type Signer } from '@hyperledger/fabric-gateway';
import { gateway as gw, msp, peer } from '@hyperledger/fabric-protos';
import { conformanceNetwork, fabricMajor, failureOf, uniqueKey } from './support';

// Issue 9 item 6: the channel's Readers and Writers policies on Evaluate, Submit, Deliver,
// CommitStatus and ChaincodeEvents; unknown organization, foreign and expired certificates, bad
// signatures and replayed transaction ids, each refused with Fabric's error or validation code.
const c = conformanceNetwork();
const [org1] = c.mspIds;
const org = c.net.organizations[0];
type CryptoKey = crypto.webcrypto.CryptoKey;
type CryptoKeyPair = crypto.webcrypto.CryptoKeyPair;
const webcrypto = crypto.webcrypto;
x509.cryptoProvider.set(webcrypto as never);
const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const PERMISSION_DENIED = grpc.status.PERMISSION_DENIED;

const opened: { close(): void }[] = [];
afterAll(() => opened.forEach((o) => o.close()));

/** A fabric-gateway connection to org1's peer with any identity and signer. */
function gatewayAs(mspId: string, certPem: string, signer: Signer): Gateway {
  const p = org.peers[0];
  const client = new grpc.Client(
    `${p.host}:${p.port}`,
    grpc.credentials.createSsl(fs.readFileSync(org.tlsCaCertPath)),
    {
      'grpc.ssl_target_name_override': p.name,
    },
  );
  const gateway = connect({
    client,
    identity: { mspId, credentials: Buffer.from(certPem) },
    signer,
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 10_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 30_000 }),
    chaincodeEventsOptions: () => ({ deadline: Date.now() + 10_000 }),
    blockEventsOptions: () => ({ deadline: Date.now() + 10_000 }),
  });
  opened.push({ close: () => (gateway.close(), client.close()) });
  return gateway;
}

function fileSigner(keyPath: string): Signer {
  return signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(keyPath)));
}

/** The first file of an MSP folder's subfolder (cryptogen: signcerts/<name>-cert.pem, keystore/priv_sk). */
function mspFile(mspDir: string, sub: string): string {
  const dir = path.join(mspDir, sub);
  return path.join(dir, fs.readdirSync(dir)[0]);
}

function pkcs8Pem(der: ArrayBuffer): string {
  return `-----BEGIN PRIVATE KEY-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`;
}

/** A client certificate (OU=client) issued by `issuer` with `issuerKey`, valid in [notBefore, notAfter]. */
async function clientCert(
  issuer: x509.X509Certificate,
  issuerKey: CryptoKey,
  notBefore: Date,
  notAfter: Date,
): Promise<{ certPem: string; signer: Signer }> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: crypto.randomBytes(8).toString('hex'),
    subject: `CN=conformance-${crypto.randomBytes(3).toString('hex')}, OU=client`,
    issuer: issuer.subject,
    notBefore,
    notAfter,
    publicKey: keys.publicKey as never,
    signingKey: issuerKey as never,
    signingAlgorithm: alg,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await authorityKeyId(issuer),
    ],
  });
  const keyPem = pkcs8Pem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return {
    certPem: cert.toString('pem'),
    signer: signers.newPrivateKeySigner(crypto.createPrivateKey(keyPem)),
  };
}

/** The AKID naming the issuer's own SKI (cryptogen's SKI is a SHA-256, not the SHA-1 x509 would compute). */
async function authorityKeyId(issuer: x509.X509Certificate): Promise<x509.Extension> {
  const ski = issuer.getExtension(x509.SubjectKeyIdentifierExtension);
  return ski
    ? new x509.AuthorityKeyIdentifierExtension(ski.keyId)
    : x509.AuthorityKeyIdentifierExtension.create(issuer);
}

/** A CA nobody in the channel knows. */
async function foreignCa(): Promise<{ cert: x509.X509Certificate; key: CryptoKey }> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=ca.foreign.example, O=Foreign',
    notBefore: new Date(Date.now() - 3_600_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys: keys as never,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
    ],
  });
  return { cert, key: keys.privateKey };
}

/** The org's own signing CA (cryptogen keeps its key beside the certificate as priv_sk). */
async function orgCa(): Promise<{ cert: x509.X509Certificate; key: CryptoKey }> {
  const keyPath = path.join(path.dirname(org.caCertPath), 'priv_sk');
  if (!fs.existsSync(keyPath))
    throw new Error(`the org CA key is needed to forge an expired certificate: ${keyPath} not found`);
  const der = crypto.createPrivateKey(fs.readFileSync(keyPath)).export({ type: 'pkcs8', format: 'der' });
  const key = await webcrypto.subtle.importKey('pkcs8', der, alg, false, ['sign']);
  return { cert: new x509.X509Certificate(fs.readFileSync(org.caCertPath, 'utf8')), key };
}

const user = (): Gateway =>
  gatewayAs(org1, fs.readFileSync(org.user.certPath, 'utf8'), fileSigner(org.user.keyPath));
const contractOf = (g: Gateway) => g.getNetwork(c.channel).getContract(c.chaincode);
const denied = (mspPart: string): string => `access denied: channel [${c.channel}] creator org ${mspPart}`;

describe('Writers on Evaluate and Submit', () => {
  // A peer's identity is a channel Reader (OR(admin, peer, client)) but not a Writer (OR(admin, client)).
  const peerGateway = (): Gateway =>
    gatewayAs(
      org1,
      fs.readFileSync(mspFile(org.peers[0].mspDir, 'signcerts'), 'utf8'),
      fileSigner(mspFile(org.peers[0].mspDir, 'keystore')),
    );

  it('refuses to evaluate for an identity that is not a Writer', async () => {
    const msg = await failureOf(contractOf(peerGateway()).evaluateTransaction('Get', 'k'));
    expect(msg).toContain('/Channel/Application/Writers');
  });

  it('refuses to endorse (submit) for an identity that is not a Writer', async () => {
    const msg = await failureOf(contractOf(peerGateway()).submitTransaction('Put', uniqueKey('w'), 'v'));
    expect(msg).toContain('/Channel/Application/Writers');
  });
});

describe('Readers on Deliver, CommitStatus and ChaincodeEvents', () => {
  // The orderer organization is in the channel, but not among the application Readers.
  const ordererGateway = (): Gateway =>
    gatewayAs(
      c.net.orderer.mspId,
      fs.readFileSync(c.net.orderer.admin.certPath, 'utf8'),
      fileSigner(c.net.orderer.admin.keyPath),
    );

  it('answers Deliver (block events) of a non-Reader with FORBIDDEN', async () => {
    const events = await ordererGateway()
      .getNetwork(c.channel)
      .getBlockEvents({ startBlock: BigInt(0) });
    try {
      const msg = await failureOf(events[Symbol.asyncIterator]().next());
      expect(msg).toMatch(/FORBIDDEN|403/);
    } finally {
      events.close();
    }
  });

  it('refuses CommitStatus to a non-Reader with PERMISSION_DENIED', async () => {
    const tx = await contractOf(user())
      .newProposal('Put', { arguments: [uniqueKey('cs'), 'v'] })
      .endorse();
    const commit = await tx.submit();
    expect((await commit.getStatus()).code).toBe(peer.TxValidationCode.VALID);
    // A commit-status request of the non-Reader's own (fabric-gateway signs it with that identity).
    const o = c.net.orderer;
    const sid = new msp.SerializedIdentity();
    sid.setMspid(o.mspId);
    sid.setIdBytes(fs.readFileSync(o.admin.certPath));
    const request = new gw.CommitStatusRequest();
    request.setChannelId(c.channel);
    request.setTransactionId(tx.getTransactionId());
    request.setIdentity(sid.serializeBinary());
    const signed = new gw.SignedCommitStatusRequest();
    signed.setRequest(request.serializeBinary());
    const msg = await failureOf(ordererGateway().newCommit(signed.serializeBinary()).getStatus());
    expect(msg).toContain(`code=${PERMISSION_DENIED}`);
  });

  it('refuses ChaincodeEvents to a non-Reader with PERMISSION_DENIED', async () => {
    const events = await failureOf(
      (async () => {
        const it = await ordererGateway()
          .getNetwork(c.channel)
          .getChaincodeEvents(c.chaincode, { startBlock: BigInt(0) });
        try {
          await it[Symbol.asyncIterator]().next();
        } finally {
          it.close();
        }
      })(),
    );
    expect(events).toContain(`code=${PERMISSION_DENIED}`);
  });
});

describe('identities and signatures', () => {
  it('refuses an identity of an organization that is not in the channel', async () => {
    const ca = await foreignCa();
    const id = await clientCert(
      ca.cert,
      ca.key,
      new Date(Date.now() - 60_000),
      new Date(Date.now() + 3_600_000),
    );
    const msg = await failureOf(
      contractOf(gatewayAs('UnknownMSP', id.certPem, id.signer)).evaluateTransaction('Get', 'k'),
    );
    expect(msg).toContain(denied('unknown, creator is malformed'));
  });

  it("refuses a certificate not issued by the organization's CA (foreign certificate)", async () => {
    const ca = await foreignCa();
    const id = await clientCert(
      ca.cert,
      ca.key,
      new Date(Date.now() - 60_000),
      new Date(Date.now() + 3_600_000),
    );
    const msg = await failureOf(
      contractOf(gatewayAs(org1, id.certPem, id.signer)).evaluateTransaction('Get', 'k'),
    );
    // Fabric's MSP cannot deserialize it: sanitizing an ECDSA certificate needs its chain to the MSP's roots.
    expect(msg).toContain(denied('unknown, creator is malformed'));
  });

  describe("an expired certificate issued by the organization's CA", () => {
    const expired = async (): Promise<Gateway> => {
      const ca = await orgCa();
      // Valid from just after the CA's own notBefore (Fabric checks the chain at that instant) until a second ago.
      const notBefore = new Date(ca.cert.notBefore.getTime() + 1000);
      const notAfter = new Date(Math.max(Date.now() - 1000, notBefore.getTime() + 1000));
      const id = await clientCert(ca.cert, ca.key, notBefore, notAfter);
      await new Promise((r) => setTimeout(r, Math.max(0, notAfter.getTime() + 1000 - Date.now())));
      return gatewayAs(org1, id.certPem, id.signer);
    };

    // The peer's ExpirationCheck auth filter runs before the endorser (core.yaml handlers.authFilters).
    it('is refused by the peer on evaluate: "proposal client identity expired"', async () => {
      if (fabricMajor(c) === 2) {
        // Fabric 2.5 hands its gateway the endorser without the auth filters (internal/peer/node/start.go),
        // so an evaluate on the gateway's own peer is answered; 3.x hands it the filtered chain.
        await expect(contractOf(await expired()).evaluateTransaction('Get', 'k')).resolves.toBeInstanceOf(
          Uint8Array,
        );
        return;
      }
      const msg = await failureOf(contractOf(await expired()).evaluateTransaction('Get', 'k'));
      expect(msg).toContain('proposal client identity expired');
    });

    it('is refused by the peer on submit, before anything reaches the orderer', async () => {
      const msg = await failureOf(
        contractOf(await expired()).submitTransaction('Put', uniqueKey('exp'), 'v'),
      );
      expect(msg).toContain('proposal client identity expired');
    });

    it('is refused by Deliver', async () => {
      const events = await (await expired()).getNetwork(c.channel).getBlockEvents({ startBlock: BigInt(0) });
      try {
        const msg = await failureOf(events[Symbol.asyncIterator]().next());
        expect(msg).toMatch(/FORBIDDEN|403/);
      } finally {
        events.close();
      }
    });
  });

  it('accepts a valid certificate issued by the organization CA (control for the two tests above)', async () => {
    const ca = await orgCa();
    const id = await clientCert(
      ca.cert,
      ca.key,
      new Date(Date.now() - 60_000),
      new Date(Date.now() + 3_600_000),
    );
    await expect(
      contractOf(gatewayAs(org1, id.certPem, id.signer)).evaluateTransaction('Get', 'k'),
    ).resolves.toBeDefined();
  });

  it('refuses a proposal whose signature is not the creator’s', async () => {
    const other = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const msg = await failureOf(
      contractOf(
        gatewayAs(
          org1,
          fs.readFileSync(org.user.certPath, 'utf8'),
          signers.newPrivateKeySigner(other.privateKey),
        ),
      ).evaluateTransaction('Get', 'k'),
    );
    expect(msg).toContain(denied(`[${org1}]`));
  });
});

describe('replayed transaction ids', () => {
  it('refuses to endorse a proposal whose tx id is already committed', async () => {
    const proposal = contractOf(user()).newProposal('Put', { arguments: [uniqueKey('replay'), 'v'] });
    const tx = await proposal.endorse();
    expect((await (await tx.submit()).getStatus()).code).toBe(peer.TxValidationCode.VALID);
    const msg = await failureOf(proposal.endorse());
    expect(msg).toContain(`duplicate transaction found [${proposal.getTransactionId()}]`);
  });

  it('marks a resubmitted transaction DUPLICATE_TXID in its block and keeps the first outcome', async () => {
    const g = user();
    const key = uniqueKey('dup');
    const tx = await contractOf(g)
      .newProposal('Put', { arguments: [key, 'first'] })
      .endorse();
    const first = await (await tx.submit()).getStatus();
    expect(first.code).toBe(peer.TxValidationCode.VALID);
    const again = await tx.submit(); // the same envelope, ordered a second time
    expect((await again.getStatus()).code).toBe(peer.TxValidationCode.VALID); // the ledger indexes the first
    const blocks = await g
      .getNetwork(c.channel)
      .getFilteredBlockEvents({ startBlock: first.blockNumber + BigInt(1) });
    try {
      for await (const b of blocks) {
        const dup = b.getFilteredTransactionsList().find((t) => t.getTxid() === tx.getTransactionId());
        if (dup === undefined) continue;
        expect(dup.getTxValidationCode()).toBe(peer.TxValidationCode.DUPLICATE_TXID);
        break;
      }
    } finally {
      blocks.close();
    }
  });
});
