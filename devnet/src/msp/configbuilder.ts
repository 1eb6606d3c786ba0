import * as fs from 'node:fs';
import * as path from 'node:path';
import { msp as mspProto } from '@hyperledger/fabric-protos';
import { parse as parseYaml } from 'yaml';

/** config.yaml's OU entry (fabric msp/configbuilder.go OrganizationalUnitIdentifiersConfiguration). */
interface OUConfig {
  Certificate?: string;
  OrganizationalUnitIdentifier?: string;
}

/** config.yaml (fabric msp Configuration). */
interface MSPDirConfig {
  OrganizationalUnitIdentifiers?: OUConfig[];
  NodeOUs?: {
    Enable?: boolean;
    ClientOUIdentifier?: OUConfig;
    PeerOUIdentifier?: OUConfig;
    AdminOUIdentifier?: OUConfig;
    OrdererOUIdentifier?: OUConfig;
  };
}

/** Every regular file of `dir`, sorted, as bytes; [] when the folder does not exist. */
function readPemFolder(dir: string): Uint8Array[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .map((n) => path.join(dir, n))
    .filter((p) => fs.statSync(p).isFile())
    .map((p) => new Uint8Array(fs.readFileSync(p)));
}

function ouIdentifier(mspDir: string, c: OUConfig): mspProto.FabricOUIdentifier {
  const id = new mspProto.FabricOUIdentifier();
  id.setOrganizationalUnitIdentifier(c.OrganizationalUnitIdentifier ?? '');
  if (c.Certificate) id.setCertificate(new Uint8Array(fs.readFileSync(path.resolve(mspDir, c.Certificate))));
  return id;
}

function nodeOUs(mspDir: string, cfg: NonNullable<MSPDirConfig['NodeOUs']>): mspProto.FabricNodeOUs {
  const n = new mspProto.FabricNodeOUs();
  n.setEnable(cfg.Enable === true);
  if (cfg.ClientOUIdentifier) n.setClientOuIdentifier(ouIdentifier(mspDir, cfg.ClientOUIdentifier));
  if (cfg.PeerOUIdentifier) n.setPeerOuIdentifier(ouIdentifier(mspDir, cfg.PeerOUIdentifier));
  if (cfg.AdminOUIdentifier) n.setAdminOuIdentifier(ouIdentifier(mspDir, cfg.AdminOUIdentifier));
  if (cfg.OrdererOUIdentifier) n.setOrdererOuIdentifier(ouIdentifier(mspDir, cfg.OrdererOUIdentifier));
  return n;
}

/**
 * The verifying FabricMSPConfig of an MSP folder (fabric msp.GetVerifyingMspConfig): cacerts,
 * intermediatecerts, admincerts, tlscacerts, tlsintermediatecerts, crls and config.yaml NodeOUs.
 * This is what goes into the channel config for an organization.
 */
export function fabricMSPConfigFromDir(mspDir: string, mspId: string): mspProto.FabricMSPConfig {
  const roots = readPemFolder(path.join(mspDir, 'cacerts'));
  if (roots.length === 0) throw new Error(`no CA certificates in ${path.join(mspDir, 'cacerts')}`);
  const conf = new mspProto.FabricMSPConfig();
  conf.setName(mspId);
  conf.setRootCertsList(roots);
  conf.setIntermediateCertsList(readPemFolder(path.join(mspDir, 'intermediatecerts')));
  conf.setAdminsList(readPemFolder(path.join(mspDir, 'admincerts')));
  conf.setRevocationListList(readPemFolder(path.join(mspDir, 'crls')));
  conf.setTlsRootCertsList(readPemFolder(path.join(mspDir, 'tlscacerts')));
  conf.setTlsIntermediateCertsList(readPemFolder(path.join(mspDir, 'tlsintermediatecerts')));
  const crypto = new mspProto.FabricCryptoConfig();
  crypto.setSignatureHashFamily('SHA2');
  crypto.setIdentityIdentifierHashFunction('SHA256');
  conf.setCryptoConfig(crypto);
  const yamlPath = path.join(mspDir, 'config.yaml');
  if (fs.existsSync(yamlPath)) {
    const cfg = (parseYaml(fs.readFileSync(yamlPath, 'utf8')) ?? {}) as MSPDirConfig;
    conf.setOrganizationalUnitIdentifiersList(
      (cfg.OrganizationalUnitIdentifiers ?? []).map((c) => ouIdentifier(mspDir, c)),
    );
    if (cfg.NodeOUs) conf.setFabricNodeOus(nodeOUs(mspDir, cfg.NodeOUs));
  }
  return conf;
}

/** {@link fabricMSPConfigFromDir} wrapped in msp.MSPConfig (type 0 = FABRIC), as stored in a config group's MSP value. */
export function mspConfigFromDir(mspDir: string, mspId: string): mspProto.MSPConfig {
  const wrapper = new mspProto.MSPConfig();
  wrapper.setType(0);
  wrapper.setConfig(fabricMSPConfigFromDir(mspDir, mspId).serializeBinary());
  return wrapper;
}
