import {
  accountsCollection,
  isCurrencyCode,
  officerAccountId,
  parseAccountId,
  treasuryAccountId,
} from './token';

describe('token model', () => {
  it('names a ministry’s citizens’ accounts collection accounts<MSP ID>', () => {
    expect(accountsCollection('EducationMSP')).toBe('accountsEducationMSP');
  });

  it('accepts exactly three upper-case letters as a currency code', () => {
    expect(isCurrencyCode('KHR')).toBe(true);
    for (const bad of ['khr', 'KH', 'KHRR', 'K1R', '']) expect(isCurrencyCode(bad)).toBe(false);
  });

  it('parses the three account forms and refuses others', () => {
    expect(parseAccountId(treasuryAccountId('HealthMSP'))).toEqual({
      id: 'treasury:HealthMSP',
      kind: 'treasury',
      mspId: 'HealthMSP',
      private: false,
    });
    const officer = officerAccountId('HealthMSP', 'x509::CN=a::CN=ca');
    expect(parseAccountId(officer)).toMatchObject({ kind: 'officer', mspId: 'HealthMSP', private: false });
    expect(officer).toMatch(/^officer:HealthMSP:[0-9a-f]{64}$/);
    expect(parseAccountId('citizen:EducationMSP:p-0123456789abcdef')).toMatchObject({
      kind: 'citizen',
      mspId: 'EducationMSP',
      suffix: 'p-0123456789abcdef',
      private: true,
    });
    for (const bad of ['citizen:EducationMSP:short', 'officer:HealthMSP:abc', 'bank:X', 'treasury:']) {
      expect(parseAccountId(bad)).toBeUndefined();
    }
  });
});
