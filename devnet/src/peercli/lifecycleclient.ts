import * as fs from 'node:fs';
import { common, peer } from '@hyperledger/fabric-protos';
import type { NetworkDescriptor, OrganizationDescriptor, PeerDescriptor } from '@govfabric/network-config';
import { broadcastOnce } from '../gateway/broadcastclient';
import { newRemoteEndorser } from '../gateway/endorserclient';
import { SigningIdentity } from '../msp';
import { createChaincodeProposal, createSignedTx, signProposal } from '../protoutil';
import { newChaincodeSource } from '../lifecycle/chaincodesource';

const lb = peer.lifecycle;

/** The parameters of a chaincode definition, as `peer lifecycle chaincode approveformyorg/commit` take them. */
export interface DefinitionParams {
  name: string;
  version: string;
  sequence: number;
  /** Marshaled ApplicationPolicy; empty = the channel's /Channel/Application/Endorsement. */
  validationParameter?: Uint8Array;
  initRequired?: boolean;
  collections?: peer.CollectionConfigPackage;
}

interface OrgPeer {
  org: OrganizationDescriptor;
  peer: PeerDescriptor;
  admin: SigningIdentity;
  endorser: ReturnType<typeof newRemoteEndorser>;
}

/**
 * What `peer lifecycle chaincode ...` does, for devnet's own scripts: every call is a proposal to
 * `_lifecycle` on a peer's Endorser, signed by the org's admin, with Fabric's argument and result protos;
 * approve and commit are then ordered through the orderer's Broadcast and awaited with qscc
 * GetTransactionByID on the peers.
 */
export class LifecycleClient {
  private readonly peers: OrgPeer[];

  constructor(private readonly net: NetworkDescriptor) {
    this.peers = net.organizations.flatMap((org) =>
      org.peers.map((p) => ({
        org,
        peer: p,
        admin: SigningIdentity.fromMSPDir(org.admin.mspDir, org.mspId),
        endorser: newRemoteEndorser({
          dialAddress: `${p.host}:${p.port}`,
          tlsRootCertPem: fs.readFileSync(org.tlsCaCertPath),
          serverName: p.name,
        }),
      })),
    );
  }

  /** The peers of the network with their org. */
  peerNames(): { peer: string; mspId: string }[] {
    return this.peers.map((p) => ({ peer: p.peer.name, mspId: p.org.mspId }));
  }

  /** `peer lifecycle chaincode install` on one peer; an already installed package is not an error. */
  async install(
    peerName: string,
    pkg: Uint8Array,
  ): Promise<{ packageId: string; label: string; alreadyInstalled: boolean }> {
    const args = new lb.InstallChaincodeArgs();
    args.setChaincodeInstallPackage(pkg);
    const r = await this.evaluate(peerName, '', 'InstallChaincode', args.serializeBinary());
    if (r.status !== 200) {
      const m = /chaincode already successfully installed \(package ID '([^']+)'\)/.exec(r.message);
      if (m) return { packageId: m[1], label: m[1].slice(0, m[1].lastIndexOf(':')), alreadyInstalled: true };
      throw new Error(`install on ${peerName} failed: ${r.message}`);
    }
    const res = lb.InstallChaincodeResult.deserializeBinary(r.payload);
    return { packageId: res.getPackageId(), label: res.getLabel(), alreadyInstalled: false };
  }

  /** `peer lifecycle chaincode queryinstalled`. */
  async queryInstalled(peerName: string): Promise<peer.lifecycle.QueryInstalledChaincodesResult> {
    const r = await this.evaluate(
      peerName,
      '',
      'QueryInstalledChaincodes',
      new lb.QueryInstalledChaincodesArgs().serializeBinary(),
    );
    if (r.status !== 200) throw new Error(`queryinstalled on ${peerName} failed: ${r.message}`);
    return lb.QueryInstalledChaincodesResult.deserializeBinary(r.payload);
  }

  /** `peer lifecycle chaincode queryapproved` (sequence 0 = latest). undefined when nothing is approved. */
  async queryApproved(
    peerName: string,
    name: string,
    sequence = 0,
  ): Promise<peer.lifecycle.QueryApprovedChaincodeDefinitionResult | undefined> {
    const args = new lb.QueryApprovedChaincodeDefinitionArgs();
    args.setName(name);
    args.setSequence(sequence);
    const r = await this.evaluate(
      peerName,
      this.net.channel,
      'QueryApprovedChaincodeDefinition',
      args.serializeBinary(),
    );
    if (r.status !== 200) {
      if (r.message.includes('could not fetch approved chaincode definition')) return undefined;
      throw new Error(`queryapproved on ${peerName} failed: ${r.message}`);
    }
    return lb.QueryApprovedChaincodeDefinitionResult.deserializeBinary(r.payload);
  }

  /** `peer lifecycle chaincode querycommitted -n <name>`; undefined when not committed (404). */
  async queryCommitted(
    peerName: string,
    name: string,
  ): Promise<peer.lifecycle.QueryChaincodeDefinitionResult | undefined> {
    const args = new lb.QueryChaincodeDefinitionArgs();
    args.setName(name);
    const r = await this.evaluate(
      peerName,
      this.net.channel,
      'QueryChaincodeDefinition',
      args.serializeBinary(),
    );
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`querycommitted on ${peerName} failed: ${r.message}`);
    return lb.QueryChaincodeDefinitionResult.deserializeBinary(r.payload);
  }

  /** `peer lifecycle chaincode checkcommitreadiness`: approvals by MSP id. */
  async checkCommitReadiness(peerName: string, def: DefinitionParams): Promise<Map<string, boolean>> {
    const args = new lb.CheckCommitReadinessArgs();
    fill(args, def);
    const r = await this.evaluate(peerName, this.net.channel, 'CheckCommitReadiness', args.serializeBinary());
    if (r.status !== 200) throw new Error(`checkcommitreadiness on ${peerName} failed: ${r.message}`);
    const res = lb.CheckCommitReadinessResult.deserializeBinary(r.payload);
    return new Map(res.getApprovalsMap().toArray());
  }

  /**
   * `peer lifecycle chaincode approveformyorg` through one of the org's peers; resolves once committed on
   * every peer, so that the peers that then endorse the commit all read the same approvals (an endorser
   * still behind would answer a different commit readiness: ProposalResponsePayloads do not match).
   */
  async approve(peerName: string, def: DefinitionParams, packageId: string): Promise<void> {
    const args = new lb.ApproveChaincodeDefinitionForMyOrgArgs();
    fill(args, def);
    args.setSource(newChaincodeSource(packageId));
    await this.submit(
      this.orgPeer(peerName).admin,
      [peerName],
      'ApproveChaincodeDefinitionForMyOrg',
      args.serializeBinary(),
      true,
    );
  }

  /** `peer lifecycle chaincode commit` endorsed by one peer of every org; resolves once committed on every peer. */
  async commit(def: DefinitionParams): Promise<void> {
    const args = new lb.CommitChaincodeDefinitionArgs();
    fill(args, def);
    const endorsers = this.net.organizations.map((o) => o.peers[0].name);
    await this.submit(
      this.orgPeer(endorsers[0]).admin,
      endorsers,
      'CommitChaincodeDefinition',
      args.serializeBinary(),
    );
  }

  /** Closes every connection. */
  close(): void {
    for (const p of this.peers) p.endorser.close();
  }

  private orgPeer(peerName: string): OrgPeer {
    const p = this.peers.find((x) => x.peer.name === peerName);
    if (!p) throw new Error(`peer ${peerName} is not in network.json`);
    return p;
  }

  private async evaluate(
    peerName: string,
    channelId: string,
    fn: string,
    arg: Uint8Array,
  ): Promise<{ status: number; message: string; payload: Uint8Array }> {
    const p = this.orgPeer(peerName);
    const { proposal } = createChaincodeProposal({
      channelId,
      chaincodeName: '_lifecycle',
      args: [Buffer.from(fn), arg],
      creator: p.admin.serialize(),
    });
    const pr = await p.endorser.processProposal(signProposal(proposal, p.admin));
    const resp = pr.getResponse();
    return {
      status: resp?.getStatus() ?? 0,
      message: resp?.getMessage() ?? '',
      payload: resp?.getPayload_asU8() ?? new Uint8Array(),
    };
  }

  private async submit(
    admin: SigningIdentity,
    endorsers: string[],
    fn: string,
    arg: Uint8Array,
    waitAll = false,
  ): Promise<void> {
    const { proposal, txId } = createChaincodeProposal({
      channelId: this.net.channel,
      chaincodeName: '_lifecycle',
      args: [Buffer.from(fn), arg],
      creator: admin.serialize(),
    });
    const signed = signProposal(proposal, admin);
    const responses = await Promise.all(
      endorsers.map((n) => this.orgPeer(n).endorser.processProposal(signed)),
    );
    for (const [i, r] of responses.entries()) {
      const status = r.getResponse()?.getStatus() ?? 0;
      if (status !== 200)
        throw new Error(
          `${fn} endorsement on ${endorsers[i]} failed (${status}): ${r.getResponse()?.getMessage()}`,
        );
    }
    const env = createSignedTx(proposal, admin, responses);
    await this.broadcast(env);
    const waitOn = waitAll ? this.peers.map((p) => p.peer.name) : [endorsers[0]];
    await Promise.all(waitOn.map((n) => this.waitForTx(n, txId, fn)));
  }

  private async broadcast(env: common.Envelope): Promise<void> {
    await broadcastOnce(this.net, env, 'transaction');
  }

  /** Polls qscc GetTransactionByID until the transaction is committed on the peer; throws unless VALID. */
  private async waitForTx(peerName: string, txId: string, what: string): Promise<void> {
    const p = this.orgPeer(peerName);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { proposal } = createChaincodeProposal({
        channelId: this.net.channel,
        chaincodeName: 'qscc',
        args: [Buffer.from('GetTransactionByID'), Buffer.from(this.net.channel), Buffer.from(txId)],
        creator: p.admin.serialize(),
      });
      const pr = await p.endorser.processProposal(signProposal(proposal, p.admin));
      if (pr.getResponse()?.getStatus() === 200) {
        const code = peer.ProcessedTransaction.deserializeBinary(
          pr.getResponse()!.getPayload_asU8(),
        ).getValidationcode();
        if (code !== peer.TxValidationCode.VALID) {
          const name = Object.entries(peer.TxValidationCode).find(([, v]) => v === code)?.[0] ?? String(code);
          throw new Error(`${what} transaction ${txId} was invalidated on ${peerName}: ${name}`);
        }
        return;
      }
      if (Date.now() > deadline)
        throw new Error(`${what} transaction ${txId} not committed on ${peerName} within 60 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

type DefinitionArgs = {
  setName(v: string): void;
  setVersion(v: string): void;
  setSequence(v: number): void;
  setInitRequired(v: boolean): void;
  setValidationParameter(v: Uint8Array): void;
  setCollections(v?: peer.CollectionConfigPackage): void;
};

function fill(args: DefinitionArgs, def: DefinitionParams): void {
  args.setName(def.name);
  args.setVersion(def.version);
  args.setSequence(def.sequence);
  args.setInitRequired(def.initRequired ?? false);
  if (def.validationParameter) args.setValidationParameter(def.validationParameter);
  if (def.collections && def.collections.getConfigList().length > 0) args.setCollections(def.collections);
}
