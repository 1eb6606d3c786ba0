import type { NetworkDescriptor } from '@govfabric/network-config';
import { bootstrapDemo } from '../../gateway/src/bootstrap';
import { newRecord, type RecordInput } from './records';

/**
 * Data every integration test may assume on a fresh test network: the demo bootstrap
 * (gateway/bootstrap/demo.json). Every ministry is registered for governance; each owns one
 * domain, whose schema it registered and whose `issuer` role (scope `G2C/<domain>`) its User1
 * holds: ImmigrationMSP `immigration.residence-permit`, EducationMSP `education.credential`,
 * HealthMSP `health.vaccination`.
 */
export const SEEDED_SCHEMAS: Record<string, string[]> = {
  ImmigrationMSP: ['immigration.residence-permit'],
  EducationMSP: ['education.credential'],
  HealthMSP: ['health.vaccination'],
};

/** Runs the demo bootstrap (once, by the integration global setup; it skips what exists). */
export async function seedLedger(net: NetworkDescriptor): Promise<void> {
  await bootstrapDemo(net, { log: () => undefined });
}

/**
 * A fresh record of a seeded type whose payload conforms to the seeded schema (newRecord's
 * default is an `education.credential`); the document number keeps every hash unique.
 */
export function newSeededRecord(recordType: string, overrides: Partial<RecordInput> = {}): RecordInput {
  const base = newRecord({ recordType });
  const documentNo = base.id;
  switch (recordType) {
    case 'immigration.residence-permit':
      return {
        ...base,
        payload: {
          permitNo: documentNo,
          permitType: 'work',
          nationality: 'PRT',
          validFrom: '2025-01-01',
          validUntil: '2027-12-31',
        },
        ...overrides,
      };
    case 'health.vaccination':
      return {
        ...base,
        payload: { certificateNo: documentNo, vaccine: 'MMR', dose: 2, batch: 'lot-42' },
        ...overrides,
      };
    default:
      return { ...base, ...overrides };
  }
}
