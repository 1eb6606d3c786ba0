import * as grpc from '@grpc/grpc-js';
import { discovery, peer } from '@hyperledger/fabric-protos';
import type { Bundle } from '../channelconfig';
import { getLogger } from '../common/logging';
import { newSignaturePolicy, PolicyPaths, signedByNOutOfGivenRole } from '../policies';
import type { ChaincodeMetadata } from '../lifecycle/metadataprovider';
import type { Identity } from '../msp';
import { configResult } from './config';
import { discoveryPeer, peersByCriteria, peersForEndorsement, type EndorsementSupport } from './endorsement';
import type { NetworkMember } from './member';

const logger = getLogger('discovery');

/** What the discovery service reads from its peer (fabric discovery.Support). */
export interface DiscoverySupport {
  /** This peer's organization: local queries need one of its admins. */
  localMspId: string;
  /** The joined channel's current config, or undefined when the peer has not joined `channelId`. */
  bundle(channelId: string): Bundle | undefined;
  /** The config whose MSPs judge local queries (devnet's peer has one channel: its config). */
  localBundle(): Bundle;
  /** Every alive peer of the channel, this one included, with its state info. */
  peersOfChannel(channelId: string): Promise<NetworkMember[]>;
  /** A committed chaincode's metadata (fabric MetadataProvider), undefined when not defined. */
  metadata(channelId: string, chaincode: string, collections: string[]): ChaincodeMetadata | undefined;
}

/** A refusal returned as the gRPC error of the whole request (fabric validateStructure). */
export class DiscoveryRequestError extends Error {}

/**
 * Parses and checks a SignedRequest (fabric validateStructure): a Request with authentication and a
 * client identity. With `tlsBinding`, the client must have sent a TLS certificate whose SHA-256 is
 * the request's client_tls_cert_hash. Fabric v2.5's peer never turns that check on (its
 * discovery.NewService does not keep its Config, so Config.TLS is always false); devnet's peer
 * does the same.
 */
export function validateStructure(
  request: discovery.SignedRequest | undefined,
  tlsBinding?: { enabled: boolean; clientCertHash?: Uint8Array },
): discovery.Request {
  if (!request) throw new DiscoveryRequestError('nil request');
  let req: discovery.Request;
  try {
    req = discovery.Request.deserializeBinary(request.getPayload_asU8());
  } catch (err) {
    throw new DiscoveryRequestError(`failed parsing request: ${(err as Error).message}`);
  }
  const auth = req.getAuthentication();
  if (!auth) throw new DiscoveryRequestError('access denied, no authentication info in request');
  if (auth.getClientIdentity_asU8().length === 0)
    throw new DiscoveryRequestError("access denied, client identity wasn't supplied");
  if (!tlsBinding?.enabled) return req;
  const computed = tlsBinding.clientCertHash;
  if (!computed || computed.length === 0)
    throw new DiscoveryRequestError("client didn't send a TLS certificate");
  if (!Buffer.from(computed).equals(Buffer.from(auth.getClientTlsCertHash_asU8())))
    throw new DiscoveryRequestError(
      "client claimed TLS hash doesn't match computed TLS hash from gRPC stream",
    );
  return req;
}

/** A QueryResult carrying an error (fabric wrapError). */
export function errorResult(content: string): discovery.QueryResult {
  const err = new discovery.Error();
  err.setContent(content);
  const res = new discovery.QueryResult();
  res.setError(err);
  return res;
}

const ACCESS_DENIED = 'access denied';

/** Fabric's text checks of a chaincode query (validateCCQuery); undefined when it is well formed. */
export function ccQueryProblem(q: discovery.ChaincodeQuery): string | undefined {
  const interests = q.getInterestsList();
  if (interests.length === 0) return 'chaincode query must have at least one chaincode interest';
  for (const interest of interests) {
    if (interest.getChaincodesList().length === 0)
      return 'chaincode interest must contain at least one chaincode';
    if (interest.getChaincodesList().some((c) => c.getName() === ''))
      return 'chaincode name in interest cannot be empty';
  }
  return undefined;
}

/** `chaincodes:{name:"x" collection_names:"c"}`: how Fabric's error names an interest (%v of the proto). */
function interestText(interest: peer.ChaincodeInterest): string {
  return interest
    .getChaincodesList()
    .map((c) => {
      const colls = c
        .getCollectionNamesList()
        .map((n) => ` collection_names:"${n}"`)
        .join('');
      return `chaincodes:{name:"${c.getName()}"${colls}}`;
    })
    .join(' ');
}

function membersResult(byOrg: Map<string, NetworkMember[]>, withState: boolean): discovery.QueryResult {
  const result = new discovery.PeerMembershipResult();
  for (const [mspId, members] of byOrg) {
    const peers = new discovery.Peers();
    peers.setPeersList(
      members.map((m) => {
        const p = discoveryPeer(m);
        if (!withState) p.clearStateInfo();
        return p;
      }),
    );
    result.getPeersByOrgMap().set(mspId, peers);
  }
  const res = new discovery.QueryResult();
  res.setMembers(result);
  return res;
}

function byOrg(members: NetworkMember[], orgs: string[]): Map<string, NetworkMember[]> {
  const out = new Map<string, NetworkMember[]>(orgs.map((o) => [o, []]));
  for (const m of members) out.set(m.mspId, [...(out.get(m.mspId) ?? []), m]);
  return out;
}

/**
 * The peer's `discovery.Discovery/Discover` (fabric discovery/service.go): each query of a signed
 * request answered on its own, after checking that the client may ask it: a channel's queries need
 * the channel's `/Channel/Application/Writers`, local peer queries an admin of this peer's org; a
 * refusal is the query result "access denied".
 */
export class DiscoveryService {
  constructor(private readonly support: DiscoverySupport) {}

  /** Answers a SignedRequest; throws {@link DiscoveryRequestError} for a malformed one. */
  async discover(request: discovery.SignedRequest): Promise<discovery.Response> {
    const req = validateStructure(request);
    const identity = req.getAuthentication()!.getClientIdentity_asU8();
    const results = await Promise.all(
      req.getQueriesList().map((q) => this.processQuery(q, request, identity)),
    );
    const response = new discovery.Response();
    response.setResultsList(results);
    return response;
  }

  private async processQuery(
    q: discovery.Query,
    request: discovery.SignedRequest,
    identity: Uint8Array,
  ): Promise<discovery.QueryResult> {
    const channel = q.getChannel();
    const bundle = channel === '' ? this.support.localBundle() : this.support.bundle(channel);
    if (!bundle) return errorResult(ACCESS_DENIED);
    try {
      const policy =
        channel === ''
          ? newSignaturePolicy(signedByNOutOfGivenRole(1, 'admin', [this.support.localMspId]), bundle.msps)
          : bundle.policies.getPolicyOrReject(PolicyPaths.ChannelApplicationWriters);
      policy.evaluate([
        { data: request.getPayload_asU8(), signature: request.getSignature_asU8(), identity },
      ]);
    } catch (err) {
      logger.warn({ channel, err: (err as Error).message }, 'discovery query refused');
      return errorResult(ACCESS_DENIED);
    }
    return this.dispatch(q, bundle);
  }

  private async dispatch(q: discovery.Query, bundle: Bundle): Promise<discovery.QueryResult> {
    const C = discovery.Query.QueryCase;
    const local = q.getChannel() === '';
    const kind = q.getQueryCase();
    if (local) {
      if (kind !== C.LOCAL_PEERS) return errorResult('unknown or missing request type');
      const members = await this.support.peersOfChannel(bundle.channelId);
      return membersResult(byOrg(members, []), false);
    }
    switch (kind) {
      case C.CONFIG_QUERY:
        try {
          const res = new discovery.QueryResult();
          res.setConfigResult(configResult(bundle.config));
          return res;
        } catch (err) {
          logger.error({ err: (err as Error).message }, 'config query failed');
          return errorResult(`failed fetching config for channel ${q.getChannel()}`);
        }
      case C.PEER_QUERY:
        return this.membership(q, bundle);
      case C.CC_QUERY:
        return this.chaincodeQuery(q, bundle);
      default:
        return errorResult('unknown or missing request type');
    }
  }

  private endorsementSupport(bundle: Bundle, members: NetworkMember[]): EndorsementSupport {
    const identities = new Map<string, Identity | undefined>();
    const identityOf = (bytes: Uint8Array): Identity | undefined => {
      const key = Buffer.from(bytes).toString('base64');
      if (!identities.has(key)) {
        try {
          identities.set(key, bundle.msps.deserializeIdentity(bytes));
        } catch {
          identities.set(key, undefined);
        }
      }
      return identities.get(key);
    };
    return {
      channelId: bundle.channelId,
      members,
      metadata: (cc, colls) => this.support.metadata(bundle.channelId, cc, colls),
      satisfiesPrincipal: (bytes, principal) => {
        const identity = identityOf(bytes);
        return identity !== undefined && identity.principalMismatch(principal) === undefined;
      },
    };
  }

  private async membership(q: discovery.Query, bundle: Bundle): Promise<discovery.QueryResult> {
    const members = await this.support.peersOfChannel(bundle.channelId);
    try {
      const filter = q.getPeerQuery()?.getFilter();
      const chosen = peersByCriteria(this.endorsementSupport(bundle, members), filter, true).members;
      return membersResult(byOrg(chosen, [...new Set(members.map((m) => m.mspId))]), true);
    } catch (err) {
      return errorResult((err as Error).message);
    }
  }

  private async chaincodeQuery(q: discovery.Query, bundle: Bundle): Promise<discovery.QueryResult> {
    const ccQuery = q.getCcQuery()!;
    const problem = ccQueryProblem(ccQuery);
    if (problem) return errorResult(problem);
    const support = this.endorsementSupport(bundle, await this.support.peersOfChannel(bundle.channelId));
    const result = new discovery.ChaincodeQueryResult();
    for (const interest of ccQuery.getInterestsList()) {
      try {
        result.addContent(peersForEndorsement(support, interest));
      } catch (err) {
        logger.error(
          { err: (err as Error).message, interest: interestText(interest) },
          'no endorsement descriptor',
        );
        return errorResult(`failed constructing descriptor for ${interestText(interest)}`);
      }
    }
    const res = new discovery.QueryResult();
    res.setCcQueryRes(result);
    return res;
  }
}

/** Adds `discovery.Discovery/Discover` to the peer's server; a malformed request is a gRPC UNKNOWN error, as in Fabric. */
export function registerDiscoveryService(server: grpc.Server, service: DiscoveryService): void {
  server.addService(discovery.DiscoveryService, {
    discover: (
      call: grpc.ServerUnaryCall<discovery.SignedRequest, discovery.Response>,
      callback: grpc.sendUnaryData<discovery.Response>,
    ) => {
      service.discover(call.request).then(
        (response) => callback(null, response),
        (err: Error) => {
          logger.warn(
            { err: err.message, from: call.getPeer() },
            'discovery request is malformed or invalid',
          );
          callback({ code: grpc.status.UNKNOWN, details: err.message });
        },
      );
    },
  });
}
