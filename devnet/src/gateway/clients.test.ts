/** The TLS clients of other peers' Endorser and the orderer's Broadcast, against real grpc-js TLS servers. */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import * as x509 from '@peculiar/x509';
import { common, orderer, peer } from '@hyperledger/fabric-protos';
import { errorMessage } from './apiutils';
import { newBroadcastClient } from './broadcastclient';
import { newRemoteEndorser } from './endorserclient';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const NAME = 'peer0.education.egov.local';

async function pkcs8Pem(key: webcrypto.CryptoKey): Promise<Buffer> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return Buffer.from(
    `-----BEGIN PRIVATE KEY-----\n${der
      .toString('base64')
      .replace(/(.{64})/g, '$1\n')
      .replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`,
  );
}

/** A TLS CA and a server certificate for NAME (DNS SAN), as cryptogen issues them. */
async function tlsMaterial() {
  const caKeys = (await webcrypto.subtle.generateKey(ALG, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=tlsca.education.egov.local',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: ALG,
    keys: caKeys,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `CN=${NAME}`,
    issuer: ca.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: NAME }])],
  });
  return {
    caPem: Buffer.from(ca.toString('pem')),
    certPem: Buffer.from(cert.toString('pem')),
    keyPem: await pkcs8Pem(keys.privateKey),
  };
}

describe('TLS clients', () => {
  let server: grpc.Server;
  let port: number;
  let caPem: Buffer;
  let slow = false;

  beforeAll(async () => {
    const tls = await tlsMaterial();
    caPem = tls.caPem;
    server = new grpc.Server();
    server.addService(peer.EndorserService, {
      processProposal: (
        call: grpc.ServerUnaryCall<peer.SignedProposal, peer.ProposalResponse>,
        cb: grpc.sendUnaryData<peer.ProposalResponse>,
      ) => {
        const response = new peer.ProposalResponse();
        response.setPayload(call.request.getProposalBytes_asU8());
        if (slow) setTimeout(() => cb(null, response), 500);
        else cb(null, response);
      },
    });
    server.addService(orderer.AtomicBroadcastService, {
      broadcast: (call: grpc.ServerDuplexStream<common.Envelope, orderer.BroadcastResponse>) => {
        call.on('data', (env: common.Envelope) => {
          const response = new orderer.BroadcastResponse();
          response.setStatus(
            env.getSignature_asU8().length > 0 ? common.Status.SUCCESS : common.Status.BAD_REQUEST,
          );
          call.write(response);
        });
        call.on('end', () => call.end());
      },
      deliver: (call: grpc.ServerDuplexStream<common.Envelope, orderer.DeliverResponse>) => call.end(),
    });
    const creds = grpc.ServerCredentials.createSsl(
      null,
      [{ cert_chain: tls.certPem, private_key: tls.keyPem }],
      false,
    );
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', creds, (e, p) => (e ? reject(e) : resolve(p))),
    );
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  });

  test('an endorser client dials 127.0.0.1 and verifies the server by its node name', async () => {
    const endorser = newRemoteEndorser({
      address: `${NAME}:${port}`,
      dialAddress: `127.0.0.1:${port}`,
      serverName: NAME,
      tlsRootCertPem: caPem,
    });
    try {
      const signed = new peer.SignedProposal();
      signed.setProposalBytes(Buffer.from('proposal'));
      const response = await endorser.processProposal(signed, { deadline: new Date(Date.now() + 5000) });
      expect(Buffer.from(response.getPayload_asU8()).toString()).toBe('proposal');
      expect(endorser.address).toBe(`${NAME}:${port}`);
    } finally {
      endorser.close();
    }
  });

  test('the wrong TLS name fails the call (as Go would: Unavailable)', async () => {
    const endorser = newRemoteEndorser({
      dialAddress: `127.0.0.1:${port}`,
      serverName: 'peer0.health.egov.local',
      tlsRootCertPem: caPem,
    });
    try {
      const err = await endorser
        .processProposal(new peer.SignedProposal(), { deadline: new Date(Date.now() + 3000) })
        .catch((e: unknown) => e);
      expect(errorMessage(err)).toMatch(/^rpc error: code = (Unavailable|DeadlineExceeded) desc = /);
    } finally {
      endorser.close();
    }
  });

  test('the deadline is passed to the call', async () => {
    slow = true;
    const endorser = newRemoteEndorser({
      dialAddress: `127.0.0.1:${port}`,
      serverName: NAME,
      tlsRootCertPem: caPem,
    });
    try {
      const err = await endorser
        .processProposal(new peer.SignedProposal(), { deadline: new Date(Date.now() + 100) })
        .catch((e: unknown) => e);
      expect((err as grpc.ServiceError).code).toBe(grpc.status.DEADLINE_EXCEEDED);
    } finally {
      slow = false;
      endorser.close();
    }
  });

  test('a broadcast client resolves with the orderer answer of each envelope', async () => {
    const client = newBroadcastClient({
      mspId: 'OrdererMSP',
      dialAddress: `127.0.0.1:${port}`,
      serverName: NAME,
      tlsRootCertPem: caPem,
    });
    try {
      const signed = new common.Envelope();
      signed.setSignature(Buffer.from('sig'));
      expect((await client.broadcast(signed, new Date(Date.now() + 5000))).getStatus()).toBe(
        common.Status.SUCCESS,
      );
      expect((await client.broadcast(new common.Envelope(), new Date(Date.now() + 5000))).getStatus()).toBe(
        common.Status.BAD_REQUEST,
      );
    } finally {
      client.close();
    }
  });
});
