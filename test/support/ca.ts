import * as fs from 'node:fs';
import FabricCAServices from 'fabric-ca-client';
import { User, Utils } from 'fabric-common';
import type { NetworkDescriptor } from '@govfabric/network-config';
import type { Credentials } from './gateway';
import { orgOf } from './gateway';

// fabric-ca-client gives up on a socket idle for 3 s by default: too short on a loaded 2-core machine.
(Utils as unknown as { setConfigSetting(name: string, value: unknown): void }).setConfigSetting(
  'connection-timeout',
  60_000,
);

/** An identity enrolled from a ministry's CA, usable with fabric-ca-client and with connectGateway. */
export interface Enrolled extends Credentials {
  id: string;
  mspId: string;
  /** fabric-common User for fabric-ca-client's token-authorized calls. */
  user: User;
}

/** The official fabric-ca-client (npm) for a ministry's CA, trusting its TLS CA. */
export function caClient(net: NetworkDescriptor, mspId: string): FabricCAServices {
  const { ca } = orgOf(net, mspId);
  return new FabricCAServices(
    ca.url,
    { trustedRoots: [fs.readFileSync(ca.tls.caCertPath, 'utf8')], verify: true },
    ca.caName,
  );
}

/** Enrolls `id` with `secret` (a fresh key and CSR, as fabric-ca-client does); attrReqs as Fabric CA's attr_reqs. */
export async function enroll(
  net: NetworkDescriptor,
  mspId: string,
  id: string,
  secret: string,
  attrReqs?: { name: string; optional: boolean }[],
): Promise<Enrolled> {
  const result = await caClient(net, mspId).enroll({
    enrollmentID: id,
    enrollmentSecret: secret,
    ...(attrReqs ? { attr_reqs: attrReqs } : {}),
  });
  const privateKeyPem = result.key.toBytes();
  return {
    id,
    mspId,
    certificate: result.certificate,
    privateKeyPem,
    user: User.createUser(id, '', mspId, result.certificate, privateKeyPem),
  };
}

/** Enrolls the CA's bootstrap registrar (`admin`) with the secret devnet generated in the runtime directory. */
export function enrollRegistrar(net: NetworkDescriptor, mspId: string): Promise<Enrolled> {
  const { ca } = orgOf(net, mspId);
  return enroll(
    net,
    mspId,
    ca.registrar.enrollmentId,
    fs.readFileSync(ca.registrar.secretPath, 'utf8').trim(),
  );
}

/** A unique enrollment id for a test run (the CA's registry outlives single tests). */
export function uniqueId(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}`;
}
