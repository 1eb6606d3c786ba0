import * as fs from 'node:fs';
import { Gateway, Wallets, type Wallet, type X509Identity } from 'fabric-network';
import { parse } from 'yaml';
import { connectionProfilePath, type OrganizationDescriptor } from '@govfabric/network-config';

/** An in-memory fabric-network wallet holding the org's User1 under the label `User1`. */
export async function userWallet(org: OrganizationDescriptor): Promise<Wallet> {
  const wallet = await Wallets.newInMemoryWallet();
  const user: X509Identity = {
    credentials: {
      certificate: fs.readFileSync(org.user.certPath, 'utf8'),
      privateKey: fs.readFileSync(org.user.keyPath, 'utf8'),
    },
    mspId: org.mspId,
    type: 'X.509',
  };
  await wallet.put('User1', user);
  return wallet;
}

/**
 * A fabric-network 2.2 Gateway connected as the org's User1 with its generated YAML connection
 * profile (`<home>/profiles/connection-<org>.yaml`) and the given discovery settings.
 */
export async function connectFabricNetwork(
  home: string,
  org: OrganizationDescriptor,
  discovery: { enabled: boolean; asLocalhost: boolean },
): Promise<Gateway> {
  const ccp = parse(fs.readFileSync(connectionProfilePath(home, org, 'yaml'), 'utf8')) as Record<
    string,
    unknown
  >;
  const gateway = new Gateway();
  await gateway.connect(ccp, { wallet: await userWallet(org), identity: 'User1', discovery });
  return gateway;
}
