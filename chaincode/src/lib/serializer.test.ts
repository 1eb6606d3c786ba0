import { CanonicalSerializer, serializers } from './serializer';

describe('CanonicalSerializer', () => {
  const serializer = new CanonicalSerializer();

  it('writes object results as canonical JSON, without class-transformer', () => {
    const out = serializer.toBuffer({ b: [1.0, { d: true, c: null }], a: 'x', f: () => 1 }, {});
    expect(out.toString()).toBe('{"a":"x","b":[1,{"c":null,"d":true}]}');
  });

  it('writes strings, numbers and booleans as their text', () => {
    expect(serializer.toBuffer('{"z":1,"a":2}', { type: 'string' }).toString()).toBe('{"z":1,"a":2}');
    expect(serializer.toBuffer(42, { type: 'number' }).toString()).toBe('42');
    expect(serializer.toBuffer(false, {}).toString()).toBe('false');
  });

  it('returns no payload for undefined', () => {
    expect(serializer.toBuffer(undefined, {})).toBeUndefined();
  });

  it('refuses a result that does not match the declared return type', () => {
    expect(() => serializer.toBuffer({ a: 1 }, { type: 'string' })).toThrow(
      'Returned value is object does not match schema type of string',
    );
  });

  it('reads string arguments like the default serializer', () => {
    const schema = { properties: { prop: { type: 'string' } }, components: { schemas: {} } };
    expect(serializer.fromBuffer(Buffer.from('{"id":"x"}'), schema).value).toBe('{"id":"x"}');
  });

  it('is what the exported serializers select for transactions', () => {
    expect(serializers.serializers[serializers.transaction as 'canonicalSerializer']).toBe(
      CanonicalSerializer,
    );
  });
});
