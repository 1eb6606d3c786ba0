import { X509Certificate } from 'node:crypto';
import { common, msp as mspProto } from '@hyperledger/fabric-protos';
import * as x509 from '@peculiar/x509';
import { Bundle } from '../channelconfig/bundle';
import { buildChannelConfig } from '../channelconfig/configbuilder';
import { createOrg, type TestCert, type TestOrg } from '../msp/testing/certs';
import { itemKey, mapConfig } from './configmap';
import { computeConfigUpdate, configUpdateEnvelope } from './update';
import { ConfigValidator } from './validator';

function wrap(o: TestOrg) {
  const w = new mspProto.MSPConfig();
  w.setConfig(o.config.serializeBinary());
  return { mspId: o.mspId, msp: w };
}

/** A copy of the config with `org`'s MSP given a (fake) revocation list entry. */
function withRevocationList(config: common.Config, mspId: string, crl: string): common.Config {
  const copy = common.Config.deserializeBinary(config.serializeBinary());
  const value = copy
    .getChannelGroup()!
    .getGroupsMap()
    .get('Application')!
    .getGroupsMap()
    .get(mspId)!
    .getValuesMap()
    .get('MSP')!;
  const wrapper = mspProto.MSPConfig.deserializeBinary(value.getValue_asU8());
  const fabric = mspProto.FabricMSPConfig.deserializeBinary(wrapper.getConfig_asU8());
  fabric.setRevocationListList([Buffer.from(crl)]);
  wrapper.setConfig(fabric.serializeBinary());
  value.setValue(wrapper.serializeBinary());
  return copy;
}

/** A CRL signed by `ca` revoking `serials` (hex), as Fabric CA's gencrl makes one. */
async function crlPem(ca: TestCert, serials: string[]): Promise<string> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.subject,
    thisUpdate: new Date(),
    nextUpdate: new Date(Date.now() + 86_400_000),
    entries: serials.map((serialNumber) => ({ serialNumber, revocationDate: new Date() })),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    signingKey: ca.keys.privateKey,
  });
  // Fabric (Go's x509.ParseCRL) and Fabric CA use the PEM type "X509 CRL".
  const b64 = Buffer.from(crl.rawData)
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN X509 CRL-----\n${b64}\n-----END X509 CRL-----\n`;
}

/** The hex serial of a signing identity's certificate. */
function serialOf(id: { serialize(): Uint8Array }): string {
  const sid = mspProto.SerializedIdentity.deserializeBinary(id.serialize());
  return new X509Certificate(Buffer.from(sid.getIdBytes_asU8())).serialNumber.toLowerCase();
}

describe('configtx: compute_update and the orderer/peer validator (fabric common/configtx)', () => {
  let orderer: TestOrg;
  let a: TestOrg;
  let b: TestOrg;
  let c: TestOrg;
  let config: common.Config;
  let validator: ConfigValidator;
  let crl: string;
  let otherCrl: string;

  beforeAll(async () => {
    [orderer, a, b, c] = await Promise.all(['OrdererMSP', 'AMSP', 'BMSP', 'CMSP'].map((id) => createOrg(id)));
    crl = await crlPem(a.ca, [serialOf(a.client)]);
    otherCrl = await crlPem(a.ca, []);
    config = buildChannelConfig({
      ordererOrg: wrap(orderer),
      applicationOrgs: [wrap(a), wrap(b)],
      batchTimeout: '100ms',
      maxMessageCount: 10,
      absoluteMaxBytes: 1_000_000,
      preferredMaxBytes: 500_000,
    });
    validator = new ConfigValidator('egov', config, new Bundle('egov', config).policies);
  });

  it('computes a write set that bumps only the changed value, and the org admin authorizes it', () => {
    const update = computeConfigUpdate('egov', config, withRevocationList(config, 'AMSP', crl));
    const write = mapConfig(update.getWriteSet());
    expect([...write.keys()].sort()).toEqual(
      [
        '[Group]  /Channel',
        '[Group]  /Channel/Application',
        '[Group]  /Channel/Application/AMSP',
        '[Value]  /Channel/Application/AMSP/MSP',
      ].sort(),
    );
    expect(write.get('[Value]  /Channel/Application/AMSP/MSP')!.value!.getVersion()).toBe(1);

    const next = validator.proposeConfigUpdate(configUpdateEnvelope(update, [a.admin], a.admin));
    expect(next.getConfig()!.getSequence()).toBe(config.getSequence() + 1);
    const msp = mapConfig(next.getConfig()!.getChannelGroup()).get(
      itemKey('Value', ['Channel', 'Application', 'AMSP'], 'MSP'),
    )!;
    expect(msp.value!.getVersion()).toBe(1);
    // A peer re-derives the same config from last_update (fabric Validate).
    expect(() => validator.validate(next)).not.toThrow();
    // Under the new config the MSP refuses the revoked certificate and still accepts the others.
    const before = new Bundle('egov', config);
    const after = new Bundle('egov', next.getConfig()!);
    expect(() => before.msps.deserializeIdentity(a.client.serialize())).not.toThrow();
    expect(() => after.msps.deserializeIdentity(a.client.serialize())).toThrow(
      'The certificate has been revoked',
    );
    expect(() => after.msps.deserializeIdentity(a.admin.serialize())).not.toThrow();
  });

  it("refuses an update of an org's MSP signed by another org only (its mod_policy is the org's Admins)", () => {
    const update = computeConfigUpdate('egov', config, withRevocationList(config, 'AMSP', crl));
    expect(() => validator.proposeConfigUpdate(configUpdateEnvelope(update, [b.admin], b.admin))).toThrow(
      /policy for \[Value\] {2}\/Channel\/Application\/AMSP\/MSP not satisfied/,
    );
    expect(() => validator.proposeConfigUpdate(configUpdateEnvelope(update, [a.client], a.client))).toThrow(
      /not satisfied/,
    );
  });

  it('refuses a stale read set and a version that skips one', () => {
    const update = computeConfigUpdate('egov', config, withRevocationList(config, 'AMSP', crl));
    const next = validator.proposeConfigUpdate(configUpdateEnvelope(update, [a.admin], a.admin)).getConfig()!;
    const after = new ConfigValidator('egov', next, new Bundle('egov', next).policies);
    // The same update again: its write set asks for version 1, the value is at 1 now.
    expect(() => after.proposeConfigUpdate(configUpdateEnvelope(update, [a.admin], a.admin))).toThrow(
      /attempt to set key \[Value\] {2}\/Channel\/Application\/AMSP\/MSP to version 1, but key is at version 1/,
    );
    const stale = computeConfigUpdate('egov', config, withRevocationList(config, 'AMSP', otherCrl));
    stale.getReadSet()!.getGroupsMap().get('Application')!.setVersion(7);
    expect(() => validator.proposeConfigUpdate(configUpdateEnvelope(stale, [a.admin], a.admin))).toThrow(
      /proposed update requires that key \[Group\] {2}\/Channel\/Application be at version 7, but it is currently at version 0/,
    );
  });

  it('adds an organization (a new group) with the Application admins majority, not with one admin', () => {
    const threeOrgs = buildChannelConfig({
      ordererOrg: wrap(orderer),
      applicationOrgs: [wrap(a), wrap(b), wrap(c)],
      batchTimeout: '100ms',
      maxMessageCount: 10,
      absoluteMaxBytes: 1_000_000,
      preferredMaxBytes: 500_000,
    });
    const updated = common.Config.deserializeBinary(config.serializeBinary());
    const cGroup = threeOrgs
      .getChannelGroup()!
      .getGroupsMap()
      .get('Application')!
      .getGroupsMap()
      .get('CMSP')!;
    updated.getChannelGroup()!.getGroupsMap().get('Application')!.getGroupsMap().set('CMSP', cGroup);
    const update = computeConfigUpdate('egov', config, updated);
    expect(update.getWriteSet()!.getGroupsMap().get('Application')!.getVersion()).toBe(1);
    expect(() => validator.proposeConfigUpdate(configUpdateEnvelope(update, [a.admin], a.admin))).toThrow(
      /policy for \[Group\] {2}\/Channel\/Application not satisfied/,
    );
    const next = validator.proposeConfigUpdate(configUpdateEnvelope(update, [a.admin, b.admin], a.admin));
    expect(new Bundle('egov', next.getConfig()!).applicationOrgs.map((o) => o.mspId).sort()).toEqual([
      'AMSP',
      'BMSP',
      'CMSP',
    ]);
  });

  it('refuses an update for another channel and one with no change', () => {
    const update = computeConfigUpdate('other', config, withRevocationList(config, 'AMSP', crl));
    expect(() => validator.proposeConfigUpdate(configUpdateEnvelope(update, [a.admin], a.admin))).toThrow(
      "ConfigUpdate for channel 'other' but envelope for channel 'egov'",
    );
    expect(() => computeConfigUpdate('egov', config, config)).toThrow('no differences detected');
  });
});
