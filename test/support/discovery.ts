import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { discovery, msp, peer } from '@hyperledger/fabric-protos';
import { signers } from '@hyperledger/fabric-gateway';
import type { NetworkDescriptor, UserDescriptor } from '@govfabric/network-config';
import { orgOf } from './gateway';

/** Who signs a raw discovery request: an org's user or admin, or any certificate and key (PEM). */
export type DiscoverySigner = UserDescriptor | { mspId: string; certificate: string; privateKeyPem: string };

/** A chaincode call of an interest: name, collections, and whether private reads are absent. */
export interface InterestCall {
  name: string;
  collections?: string[];
  noPrivateReads?: boolean;
}

/** A ChaincodeInterest proto of the given calls. */
export function interest(...calls: InterestCall[]): peer.ChaincodeInterest {
  const i = new peer.ChaincodeInterest();
  i.setChaincodesList(
    calls.map((c) => {
      const call = new peer.ChaincodeCall();
      call.setName(c.name);
      call.setCollectionNamesList(c.collections ?? []);
      call.setNoPrivateReads(c.noPrivateReads === true);
      return call;
    }),
  );
  return i;
}

/** Query builders of the four discovery query kinds. */
export const queries = {
  config(channel: string): discovery.Query {
    const q = new discovery.Query();
    q.setChannel(channel);
    q.setConfigQuery(new discovery.ConfigQuery());
    return q;
  },
  peers(channel: string, filter?: peer.ChaincodeInterest): discovery.Query {
    const q = new discovery.Query();
    q.setChannel(channel);
    const pq = new discovery.PeerMembershipQuery();
    if (filter) pq.setFilter(filter);
    q.setPeerQuery(pq);
    return q;
  },
  local(): discovery.Query {
    const q = new discovery.Query();
    q.setLocalPeers(new discovery.LocalPeerQuery());
    return q;
  },
  chaincodes(channel: string, ...interests: peer.ChaincodeInterest[]): discovery.Query {
    const q = new discovery.Query();
    q.setChannel(channel);
    const cq = new discovery.ChaincodeQuery();
    cq.setInterestsList(interests);
    q.setCcQuery(cq);
    return q;
  },
};

function signerParts(net: NetworkDescriptor, mspId: string, who: DiscoverySigner) {
  if ('certPath' in who)
    return {
      mspId,
      certificate: fs.readFileSync(who.certPath, 'utf8'),
      privateKeyPem: fs.readFileSync(who.keyPath, 'utf8'),
    };
  return who;
}

/**
 * Sends one raw `discovery.Discovery/Discover` request to `mspId`'s first peer (what fabric-common's
 * DiscoveryService sends), signed by `who`; `tamper` may change the request before it is signed.
 */
export async function discover(
  net: NetworkDescriptor,
  mspId: string,
  who: DiscoverySigner,
  qs: discovery.Query[],
  tamper?: (req: discovery.Request) => void,
): Promise<discovery.Response> {
  const org = orgOf(net, mspId);
  const target = org.peers[0];
  const s = signerParts(net, mspId, who);
  const identity = new msp.SerializedIdentity();
  identity.setMspid(s.mspId);
  identity.setIdBytes(Buffer.from(s.certificate));
  const auth = new discovery.AuthInfo();
  auth.setClientIdentity(identity.serializeBinary());
  const req = new discovery.Request();
  req.setAuthentication(auth);
  req.setQueriesList(qs);
  tamper?.(req);
  const payload = req.serializeBinary();
  const sign = signers.newPrivateKeySigner(crypto.createPrivateKey(s.privateKeyPem));
  const signed = new discovery.SignedRequest();
  signed.setPayload(payload);
  signed.setSignature(await sign(crypto.createHash('sha256').update(payload).digest()));
  const client = new discovery.DiscoveryClient(
    `${target.host}:${target.port}`,
    grpc.credentials.createSsl(fs.readFileSync(org.tlsCaCertPath)),
    { 'grpc.ssl_target_name_override': target.name },
  );
  try {
    return await new Promise((resolve, reject) =>
      client.discover(signed, { deadline: Date.now() + 20_000 }, (err, res) =>
        err || !res ? reject(err ?? new Error('no discovery response')) : resolve(res),
      ),
    );
  } finally {
    client.close();
  }
}

/** A layout as `{ MSPID.role: count }`, read through the descriptor's groups (their peers' MSP ids). */
export function layoutsByOrg(desc: discovery.EndorsementDescriptor): Record<string, number>[] {
  const orgOfGroup = new Map<string, string>();
  for (const [group, peers] of desc.getEndorsersByGroupsMap().entries()) {
    const mspIds = new Set(
      peers
        .getPeersList()
        .map((p) => msp.SerializedIdentity.deserializeBinary(p.getIdentity_asU8()).getMspid()),
    );
    orgOfGroup.set(group, [...mspIds].sort().join('|'));
  }
  return desc.getLayoutsList().map((l) => {
    const out: Record<string, number> = {};
    for (const [group, n] of l.getQuantitiesByGroupMap().entries()) out[orgOfGroup.get(group) ?? group] = n;
    return out;
  });
}

/** Every k-element subset of `items`, in order. */
export function combinations<T>(items: T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [first, ...rest] = items;
  return [...combinations(rest, k - 1).map((c) => [first, ...c]), ...combinations(rest, k)];
}
