import { decodeDataKey, encodeDataKey, namespaceEndKey } from './keys';

describe('state data keys', () => {
  const keys = [
    '',
    'k',
    '\u0000record\u0000EDU-1\u0000',
    'Lima é 漢字 😀',
    '\u{10ffff}',
    'lone \ud800 surrogate',
  ];

  it.each(keys)("lays out %j as 'd', the namespace, 0x00 and the key in UTF-8", (key) => {
    const expected = Buffer.concat([
      Buffer.from('d'),
      Buffer.from('egov$$hpersonal'),
      Buffer.of(0),
      Buffer.from(key),
    ]);
    const encoded = encodeDataKey('egov$$hpersonal', key);
    expect(encoded).toEqual(expected);
    if (!key.includes('\ud800')) expect(decodeDataKey(encoded)).toEqual({ ns: 'egov$$hpersonal', key });
  });

  it('ends a namespace with 0x01 in place of the separator, and refuses U+0000 in a namespace', () => {
    expect(namespaceEndKey('egov')).toEqual(Buffer.from('degov\u0001'));
    expect(() => encodeDataKey('a\u0000b', 'k')).toThrow(/must not contain U\+0000/);
  });
});
