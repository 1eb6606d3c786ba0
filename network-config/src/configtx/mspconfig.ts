import * as fs from 'node:fs';
import * as path from 'node:path';
import { msp } from '@hyperledger/fabric-protos';
import { parse as parseYaml } from 'yaml';

/** MSP type FABRIC (X.509), `msp.FABRIC` in Fabric. */
const MSP_TYPE_FABRIC = 0;

/** The parts of an MSP `config.yaml` Fabric reads (`msp.Configuration`). */
interface MSPConfiguration {
  OrganizationalUnitIdentifiers?: { Certificate?: string; OrganizationalUnitIdentifier?: string }[];
  NodeOUs?: {
    Enable?: boolean;
    ClientOUIdentifier?: { Certificate?: string; OrganizationalUnitIdentifier?: string };
    PeerOUIdentifier?: { Certificate?: string; OrganizationalUnitIdentifier?: string };
    AdminOUIdentifier?: { Certificate?: string; OrganizationalUnitIdentifier?: string };
    OrdererOUIdentifier?: { Certificate?: string; OrganizationalUnitIdentifier?: string };
  };
}

/**
 * Fabric's `getPemMaterialFromDir`: the bytes of every PEM file in `dir`, in file name order;
 * undefined when the folder does not exist. Files that are not PEM are skipped, as Fabric does.
 */
function pemMaterial(dir: string): Uint8Array[] | undefined {
  if (!fs.existsSync(dir)) return undefined;
  return fs
    .readdirSync(dir)
    .sort()
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile())
    .map((f) => fs.readFileSync(f))
    .filter((bytes) => bytes.includes('-----BEGIN'))
    .map((bytes) => new Uint8Array(bytes));
}

/** One NodeOU identifier with its certificate loaded from the MSP folder (`loadCertificateAt`). */
function ouIdentifier(
  dir: string,
  conf: { Certificate?: string; OrganizationalUnitIdentifier?: string } | undefined,
) {
  if (!conf?.OrganizationalUnitIdentifier) return undefined;
  const id = new msp.FabricOUIdentifier();
  id.setOrganizationalUnitIdentifier(conf.OrganizationalUnitIdentifier);
  if (conf.Certificate) id.setCertificate(new Uint8Array(fs.readFileSync(path.join(dir, conf.Certificate))));
  return id;
}

/** Reads `config.yaml` (if any) into Fabric's NodeOUs and OU identifiers. */
function readConfiguration(dir: string): { nodeOUs?: msp.FabricNodeOUs; ouis: msp.FabricOUIdentifier[] } {
  const file = path.join(dir, 'config.yaml');
  if (!fs.existsSync(file)) return { ouis: [] };
  let conf: MSPConfiguration;
  try {
    conf = (parseYaml(fs.readFileSync(file, 'utf8')) ?? {}) as MSPConfiguration;
  } catch (err) {
    throw new Error(`failed unmarshalling configuration file at [${file}]: ${(err as Error).message}`);
  }
  const ouis = (conf.OrganizationalUnitIdentifiers ?? []).map((o) => {
    const id = new msp.FabricOUIdentifier();
    id.setCertificate(new Uint8Array(fs.readFileSync(path.join(dir, o.Certificate ?? ''))));
    id.setOrganizationalUnitIdentifier(o.OrganizationalUnitIdentifier ?? '');
    return id;
  });
  if (!conf.NodeOUs?.Enable) return { ouis };
  const nodeOUs = new msp.FabricNodeOUs();
  nodeOUs.setEnable(true);
  nodeOUs.setClientOuIdentifier(ouIdentifier(dir, conf.NodeOUs.ClientOUIdentifier));
  nodeOUs.setPeerOuIdentifier(ouIdentifier(dir, conf.NodeOUs.PeerOUIdentifier));
  nodeOUs.setAdminOuIdentifier(ouIdentifier(dir, conf.NodeOUs.AdminOUIdentifier));
  nodeOUs.setOrdererOuIdentifier(ouIdentifier(dir, conf.NodeOUs.OrdererOUIdentifier));
  return { nodeOUs, ouis };
}

/**
 * Fabric's `msp.GetVerifyingMspConfig` for an X.509 MSP folder: root certs from `cacerts`, admins from
 * `admincerts`, intermediates, CRLs, TLS roots and intermediates, NodeOUs from `config.yaml`, crypto
 * config SHA2/SHA256. Certificates are the PEM file bytes, as Fabric stores them.
 * @throws Error naming the folder when `cacerts` is missing or empty.
 */
export function getVerifyingMspConfig(dir: string, mspId: string): msp.MSPConfig {
  const rootCerts = pemMaterial(path.join(dir, 'cacerts'));
  if (!rootCerts || rootCerts.length === 0)
    throw new Error(`no ca certificate found in directory ${path.join(dir, 'cacerts')}`);
  const tlsRootCerts = pemMaterial(path.join(dir, 'tlscacerts')) ?? [];
  const { nodeOUs, ouis } = readConfiguration(dir);

  const crypto = new msp.FabricCryptoConfig();
  crypto.setSignatureHashFamily('SHA2');
  crypto.setIdentityIdentifierHashFunction('SHA256');

  const conf = new msp.FabricMSPConfig();
  conf.setName(mspId);
  conf.setRootCertsList(rootCerts);
  conf.setIntermediateCertsList(pemMaterial(path.join(dir, 'intermediatecerts')) ?? []);
  conf.setAdminsList(pemMaterial(path.join(dir, 'admincerts')) ?? []);
  conf.setRevocationListList(pemMaterial(path.join(dir, 'crls')) ?? []);
  conf.setOrganizationalUnitIdentifiersList(ouis);
  conf.setCryptoConfig(crypto);
  conf.setTlsRootCertsList(tlsRootCerts);
  conf.setTlsIntermediateCertsList(
    tlsRootCerts.length > 0 ? (pemMaterial(path.join(dir, 'tlsintermediatecerts')) ?? []) : [],
  );
  if (nodeOUs) conf.setFabricNodeOus(nodeOUs);

  const mspConfig = new msp.MSPConfig();
  mspConfig.setType(MSP_TYPE_FABRIC);
  mspConfig.setConfig(conf.serializeBinary());
  return mspConfig;
}
