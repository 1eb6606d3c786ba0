import type { NetworkDescriptor } from '@govfabric/network-config';
import type { CollectionConfigJson } from '../privdata/collections';
import { defaultEndorsementPolicyBytes } from '../lifecycle/chaincodedefinition';
import { LifecycleClient, type DefinitionParams } from './lifecycleclient';
import { collectionsToProto } from '../lifecycle/collectionsconfig';

/** What `devnet deploy` asks the lifecycle for. */
export interface DeployRequest {
  name: string;
  version: string;
  /** Each peer's package bytes, by peer name (each ministry's connection.json differs). */
  packages: Map<string, Uint8Array>;
  collections?: CollectionConfigJson[];
  /** Marshaled ApplicationPolicy; default the channel's /Channel/Application/Endorsement. */
  validationParameter?: Uint8Array;
  /** The chaincode must be invoked with Init first (the peer CLI's `--init-required`). */
  initRequired?: boolean;
  /**
   * The definition's sequence (the peer CLI's `--sequence`); default the committed one when the
   * parameters are unchanged, else the next one.
   */
  sequence?: number;
}

/** What the lifecycle ended with. */
export interface DeployOutcome {
  sequence: number;
  /** Package id installed and approved per peer. */
  packageIds: Map<string, string>;
  /** True when a new sequence was committed, false when the committed definition already matched. */
  committed: boolean;
}

/**
 * Deploys a chaincode definition as `peer lifecycle chaincode` would: install each peer's package,
 * approve the definition for each org (with its package), check commit readiness, commit it, and wait
 * until every peer has committed it. Idempotent: when the committed definition already has these
 * parameters, only approvals whose package changed are renewed (same sequence, as Fabric allows), so
 * re-running `devnet deploy` after a restart does not bump the sequence.
 */
export async function deployDefinition(net: NetworkDescriptor, req: DeployRequest): Promise<DeployOutcome> {
  const client = new LifecycleClient(net);
  try {
    const packageIds = new Map<string, string>();
    for (const [peerName, bytes] of req.packages)
      packageIds.set(peerName, (await client.install(peerName, bytes)).packageId);
    const firstPeer = net.organizations[0].peers[0].name;
    const orgPeers = net.organizations.map((o) => o.peers[0].name);
    const wanted: DefinitionParams = {
      name: req.name,
      version: req.version,
      sequence: 0,
      validationParameter: req.validationParameter ?? defaultEndorsementPolicyBytes(),
      initRequired: req.initRequired ?? false,
      collections: collectionsToProto(req.collections),
    };
    const current = await client.queryCommitted(firstPeer, req.name);
    const unchanged =
      current !== undefined &&
      sameParameters(current, wanted) &&
      (req.sequence === undefined || req.sequence === current.getSequence());
    if (current && unchanged) {
      wanted.sequence = current.getSequence();
      for (const p of orgPeers) {
        const approved = await client.queryApproved(p, req.name, wanted.sequence);
        if (approvedPackage(approved) !== packageIds.get(p))
          await client.approve(p, wanted, packageIds.get(p) ?? '');
      }
      await waitCommitted(client, net, req.name, wanted.sequence);
      return { sequence: wanted.sequence, packageIds, committed: false };
    }
    // A sequence the peers do not accept (not the next one) is refused by their `_lifecycle`, with its reason.
    wanted.sequence = req.sequence ?? (current?.getSequence() ?? 0) + 1;
    for (const p of orgPeers) {
      const approved = await client.queryApproved(p, req.name, wanted.sequence);
      if (approvedPackage(approved) !== packageIds.get(p) || !approved || !sameParameters(approved, wanted)) {
        await client.approve(p, wanted, packageIds.get(p) ?? '');
      }
    }
    const readiness = await client.checkCommitReadiness(firstPeer, wanted);
    const missing = [...readiness].filter(([, ok]) => !ok).map(([org]) => org);
    if (missing.length > 0)
      throw new Error(
        `chaincode definition ${req.name} sequence ${wanted.sequence} is not approved by ${missing.join(', ')}`,
      );
    await client.commit(wanted);
    await waitCommitted(client, net, req.name, wanted.sequence);
    return { sequence: wanted.sequence, packageIds, committed: true };
  } finally {
    client.close();
  }
}

/** Waits until every peer answers querycommitted with the sequence (its definitions are then loaded). */
async function waitCommitted(
  client: LifecycleClient,
  net: NetworkDescriptor,
  name: string,
  sequence: number,
): Promise<void> {
  for (const org of net.organizations) {
    for (const p of org.peers) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const def = await client.queryCommitted(p.name, name);
        if (def && def.getSequence() >= sequence) break;
        if (Date.now() > deadline)
          throw new Error(`${p.name} did not commit ${name} sequence ${sequence} within 60 s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}

type Params = {
  getVersion(): string;
  getInitRequired(): boolean;
  getValidationParameter_asU8(): Uint8Array;
  getCollections(): { serializeBinary(): Uint8Array } | undefined;
};

function sameParameters(a: Params, b: DefinitionParams): boolean {
  const bytes = (x: { serializeBinary(): Uint8Array } | undefined): Buffer =>
    Buffer.from(x?.serializeBinary() ?? new Uint8Array());
  return (
    a.getVersion() === b.version &&
    a.getInitRequired() === (b.initRequired ?? false) &&
    Buffer.from(a.getValidationParameter_asU8()).equals(
      Buffer.from(b.validationParameter ?? new Uint8Array()),
    ) &&
    bytes(a.getCollections()).equals(bytes(b.collections))
  );
}

function approvedPackage(
  approved:
    | { getSource(): { getLocalPackage(): { getPackageId(): string } | undefined } | undefined }
    | undefined,
): string | undefined {
  return approved?.getSource()?.getLocalPackage()?.getPackageId();
}
