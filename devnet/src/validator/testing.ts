/**
 * Test support for the validator, committer and peer tests (not used at runtime): a tiny channel of real
 * X.509 organizations — CA, one member identity per org, MSPs, a config tree with Fabric's default
 * policies — and builders for endorsed transactions and blocks.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { common, ledger, msp as mspProto, peer } from '@hyperledger/fabric-protos';
import { MSPManager, SigningIdentity } from '../msp';
import { PolicyManager } from '../policies/manager';
import {
  blockDataHash,
  blockHeaderBytes,
  createChaincodeProposal,
  createSignedTx,
  getProposalHash,
  newBlock,
  setMetadataEntry,
} from '../protoutil';

x509.cryptoProvider.set(webcrypto as never);
const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

/** One test organization: its CA certificate and a member signing identity. */
export interface TestOrg {
  mspId: string;
  caPem: string;
  member: SigningIdentity;
}

async function pkcs8Pem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`;
}

/** Creates an organization with a self-signed CA and one member identity signed by it. */
export async function newTestOrg(mspId: string): Promise<TestOrg> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 86_400_000);
  const caKeys = (await webcrypto.subtle.generateKey(alg, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=ca.${mspId}, O=${mspId}`,
    notBefore,
    notAfter,
    keys: caKeys as never,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey as never),
    ],
  });
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `CN=member.${mspId}, O=${mspId}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: keys.publicKey as never,
    signingKey: caKeys.privateKey as never,
    signingAlgorithm: alg,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const member = SigningIdentity.fromPem(mspId, cert.toString('pem'), await pkcs8Pem(keys.privateKey));
  return { mspId, caPem: ca.toString('pem'), member };
}

function fabricMspConfig(org: TestOrg): mspProto.FabricMSPConfig {
  const c = new mspProto.FabricMSPConfig();
  c.setName(org.mspId);
  c.setRootCertsList([Buffer.from(org.caPem)]);
  return c;
}

/** A `OR('<mspId>.member')` signature policy envelope. */
function memberPolicy(mspId: string): common.Policy {
  const principal = new mspProto.MSPPrincipal();
  principal.setPrincipalClassification(mspProto.MSPPrincipal.Classification.ROLE);
  const role = new mspProto.MSPRole();
  role.setMspIdentifier(mspId);
  role.setRole(mspProto.MSPRole.MSPRoleType.MEMBER);
  principal.setPrincipal(role.serializeBinary());
  const signedBy = new common.SignaturePolicy();
  signedBy.setSignedBy(0);
  const nOutOf = new common.SignaturePolicy.NOutOf();
  nOutOf.setN(1);
  nOutOf.setRulesList([signedBy]);
  const rule = new common.SignaturePolicy();
  rule.setNOutOf(nOutOf);
  const env = new common.SignaturePolicyEnvelope();
  env.setVersion(0);
  env.setRule(rule);
  env.setIdentitiesList([principal]);
  const p = new common.Policy();
  p.setType(common.Policy.PolicyType.SIGNATURE);
  p.setValue(env.serializeBinary());
  return p;
}

function implicitMeta(subPolicy: string, rule: 0 | 1 | 2): common.Policy {
  const imp = new common.ImplicitMetaPolicy();
  imp.setSubPolicy(subPolicy);
  imp.setRule(rule);
  const p = new common.Policy();
  p.setType(common.Policy.PolicyType.IMPLICIT_META);
  p.setValue(imp.serializeBinary());
  return p;
}

function configPolicy(p: common.Policy): common.ConfigPolicy {
  const cp = new common.ConfigPolicy();
  cp.setPolicy(p);
  cp.setModPolicy('Admins');
  return cp;
}

/** A test channel: the organizations, their MSPs, and policies as configtxgen lays them out. */
export interface TestChannel {
  channelId: string;
  orgs: TestOrg[];
  /** Signs blocks: a member of the orderer organization. */
  orderer: TestOrg;
  msps: MSPManager;
  policies: PolicyManager;
  config: common.Config;
}

/**
 * Application orgs each with Endorsement = OR('<org>.member'), /Channel/Application/Endorsement = MAJORITY
 * Endorsement, Readers/Writers ANY; an orderer org with /Channel/Orderer/BlockValidation = ANY Writers.
 */
export async function newTestChannel(channelId: string, mspIds: string[]): Promise<TestChannel> {
  const orgs = await Promise.all(mspIds.map(newTestOrg));
  const orderer = await newTestOrg('OrdererMSP');
  const msps = MSPManager.fromConfigs([...orgs, orderer].map(fabricMspConfig));
  const orgGroup = (o: TestOrg): common.ConfigGroup => {
    const g = new common.ConfigGroup();
    for (const name of ['Endorsement', 'Readers', 'Writers', 'Admins'])
      g.getPoliciesMap().set(name, configPolicy(memberPolicy(o.mspId)));
    return g;
  };
  const { ANY, MAJORITY } = common.ImplicitMetaPolicy.Rule;
  const app = new common.ConfigGroup();
  for (const o of orgs) app.getGroupsMap().set(o.mspId, orgGroup(o));
  app.getPoliciesMap().set('Endorsement', configPolicy(implicitMeta('Endorsement', MAJORITY)));
  app.getPoliciesMap().set('Readers', configPolicy(implicitMeta('Readers', ANY)));
  app.getPoliciesMap().set('Writers', configPolicy(implicitMeta('Writers', ANY)));
  const ord = new common.ConfigGroup();
  ord.getGroupsMap().set(orderer.mspId, orgGroup(orderer));
  ord.getPoliciesMap().set('Writers', configPolicy(implicitMeta('Writers', ANY)));
  ord.getPoliciesMap().set('BlockValidation', configPolicy(implicitMeta('Writers', ANY)));
  const root = new common.ConfigGroup();
  root.getGroupsMap().set('Application', app);
  root.getGroupsMap().set('Orderer', ord);
  const config = new common.Config();
  config.setChannelGroup(root);
  return { channelId, orgs, orderer, msps, policies: PolicyManager.fromChannelConfig(config, msps), config };
}

/** What a test transaction writes and reads. */
export interface TestTxSpec {
  chaincode?: string;
  /** Namespace of the writes and reads (defaults to the chaincode). */
  namespace?: string;
  writes?: Record<string, string>;
  /** Keys read, with the version they were read at (undefined = key absent). */
  reads?: Record<string, { blockNum: number; txNum: number } | undefined>;
  /** ChaincodeAction.results as given (instead of a TxReadWriteSet of `reads` and `writes`). */
  results?: Uint8Array;
}

/** A serialized TxReadWriteSet with one namespace. */
export function testRwSet(ns: string, spec: TestTxSpec): Uint8Array {
  const kv = new ledger.rwset.kvrwset.KVRWSet();
  for (const [key, v] of Object.entries(spec.reads ?? {})) {
    const r = new ledger.rwset.kvrwset.KVRead();
    r.setKey(key);
    if (v) {
      const ver = new ledger.rwset.kvrwset.Version();
      ver.setBlockNum(v.blockNum);
      ver.setTxNum(v.txNum);
      r.setVersion(ver);
    }
    kv.addReads(r);
  }
  for (const [key, value] of Object.entries(spec.writes ?? {})) {
    const w = new ledger.rwset.kvrwset.KVWrite();
    w.setKey(key);
    w.setValue(Buffer.from(value));
    kv.addWrites(w);
  }
  const nsrw = new ledger.rwset.NsReadWriteSet();
  nsrw.setNamespace(ns);
  nsrw.setRwset(kv.serializeBinary());
  const tx = new ledger.rwset.TxReadWriteSet();
  tx.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
  tx.addNsRwset(nsrw);
  return tx.serializeBinary();
}

/**
 * An endorsed, client-signed transaction envelope: `client` creates and signs the proposal and the
 * transaction; each of `endorsers` signs the same ProposalResponsePayload.
 */
export function endorsedTx(
  channelId: string,
  client: SigningIdentity,
  endorsers: SigningIdentity[],
  spec: TestTxSpec = {},
): { envelope: common.Envelope; txId: string } {
  const chaincode = spec.chaincode ?? 'egov';
  const { proposal, txId } = createChaincodeProposal({
    channelId,
    chaincodeName: chaincode,
    args: [Buffer.from('fn')],
    creator: client.serialize(),
  });
  const ccAction = new peer.ChaincodeAction();
  ccAction.setResults(spec.results ?? testRwSet(spec.namespace ?? chaincode, spec));
  const resp = new peer.Response();
  resp.setStatus(200);
  ccAction.setResponse(resp);
  const ccid = new peer.ChaincodeID();
  ccid.setName(chaincode);
  ccid.setVersion('0.1');
  ccAction.setChaincodeId(ccid);
  const hash = getProposalHash(proposal);
  const prp = new peer.ProposalResponsePayload();
  prp.setProposalHash(hash);
  prp.setExtension$(ccAction.serializeBinary());
  const prpBytes = prp.serializeBinary();
  const responses = endorsers.map((e) => {
    const endorsement = new peer.Endorsement();
    endorsement.setEndorser(e.serialize());
    endorsement.setSignature(e.sign(Buffer.concat([prpBytes, e.serialize()])));
    const pr = new peer.ProposalResponse();
    pr.setVersion(1);
    pr.setResponse(resp);
    pr.setPayload(prpBytes);
    pr.setEndorsement(endorsement);
    return pr;
  });
  return { envelope: createSignedTx(proposal, client, responses), txId };
}

/**
 * A block as the orderer cuts it: number, previous hash, data hash, 5 metadata entries, SIGNATURES signed
 * by `signer` over value ‖ signature header ‖ header bytes, TRANSACTIONS_FILTER zeros.
 */
export function testBlock(
  number: number,
  previousHash: Uint8Array,
  envelopes: (common.Envelope | Uint8Array)[],
  signer: SigningIdentity,
): common.Block {
  const block = newBlock(number, previousHash);
  block.getData()!.setDataList(envelopes.map((e) => (e instanceof Uint8Array ? e : e.serializeBinary())));
  block.getHeader()!.setDataHash(blockDataHash(block.getData()!));
  const obm = new common.OrdererBlockMetadata();
  const value = obm.serializeBinary();
  const shdr = new common.SignatureHeader();
  shdr.setCreator(signer.serialize());
  shdr.setNonce(Buffer.from('0123456789abcdef01234567'));
  const shdrBytes = shdr.serializeBinary();
  const sig = new common.MetadataSignature();
  sig.setSignatureHeader(shdrBytes);
  sig.setSignature(signer.sign(Buffer.concat([value, shdrBytes, blockHeaderBytes(block.getHeader()!)])));
  const md = new common.Metadata();
  md.setValue(value);
  md.setSignaturesList([sig]);
  setMetadataEntry(block, common.BlockMetadataIndex.SIGNATURES, md.serializeBinary());
  setMetadataEntry(block, common.BlockMetadataIndex.TRANSACTIONS_FILTER, new Uint8Array(envelopes.length));
  return block;
}

/** Block 0 of the test channel: one CONFIG envelope carrying the channel config, unsigned as configtxgen leaves it. */
export function testGenesisBlock(ch: TestChannel): common.Block {
  const chdr = new common.ChannelHeader();
  chdr.setType(common.HeaderType.CONFIG);
  chdr.setChannelId(ch.channelId);
  const header = new common.Header();
  header.setChannelHeader(chdr.serializeBinary());
  header.setSignatureHeader(new common.SignatureHeader().serializeBinary());
  const configEnvelope = new common.ConfigEnvelope();
  configEnvelope.setConfig(ch.config);
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(configEnvelope.serializeBinary());
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  const block = newBlock(0, new Uint8Array());
  block.getData()!.setDataList([env.serializeBinary()]);
  block.getHeader()!.setDataHash(blockDataHash(block.getData()!));
  return block;
}
