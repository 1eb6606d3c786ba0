import { canonicalJson, hashOf, marshal, sha256Hex, unmarshal, type JsonObject } from './canonical';
import { InvalidArgumentError, StateCorruptError } from './errors';

describe('canonical JSON (RFC 8785)', () => {
  it('matches the RFC 8785 section 3.2.3 example', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys recursively and formats numbers the ECMAScript way (1.0 → 1, 1e21 → 1e+21)', () => {
    const input = JSON.parse(
      '{"é":"€","c":{"z":true,"y":[1.50,"x",2e-3]},"b":1.0,"a":1000000000000000000000}',
    );
    expect(canonicalJson(input)).toBe('{"a":1e+21,"b":1,"c":{"y":[1.5,"x",0.002],"z":true},"é":"€"}');
  });

  it('hashes the canonical form: SHA-256 computed independently with sha256sum', () => {
    const expected = 'd03394c8f851086a5af34053e2d563bf78593d789c0e25052e0a46c9607f6a31';
    const reordered = JSON.parse(
      '{"b":1,"a":1e21,"é":"€","c":{"y":[1.5,"x",0.0020],"z":true}}',
    ) as JsonObject;
    const other = JSON.parse(
      '{"é":"€","c":{"z":true,"y":[15e-1,"x",2E-3]},"a":1e+21,"b":1.000}',
    ) as JsonObject;
    expect(hashOf(reordered)).toBe(expected);
    expect(hashOf(other)).toBe(expected);
    expect(hashOf({ ...reordered, b: 2 })).not.toBe(expected);
  });

  it('hashes the RFC 8785 example to the digest of its canonical bytes', () => {
    expect(
      sha256Hex(
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
      ),
    ).toBe('2d5e01a318d0f0879ab568c4be289c8b1f64ef8921a53c6277d5e069978baacb');
  });

  it('rejects numbers JSON.parse turned into Infinity, naming the value', () => {
    const input = JSON.parse('{"big":1e400}');
    expect(() => canonicalJson(input, 'field "payload"')).toThrow(InvalidArgumentError);
    expect(() => canonicalJson(input, 'field "payload"')).toThrow(/field "payload" cannot be canonicalized/);
  });

  it('rejects a value with no JSON form', () => {
    expect(() => canonicalJson(undefined)).toThrow(/has no JSON representation/);
  });
});

describe('marshal / unmarshal', () => {
  it('round-trips an object through canonical UTF-8 bytes', () => {
    const bytes = marshal({ z: 1, a: 'ä' });
    expect(Buffer.from(bytes).toString('utf8')).toBe('{"a":"ä","z":1}');
    expect(unmarshal(bytes, 'x')).toEqual({ a: 'ä', z: 1 });
  });

  it('refuses state that is not a JSON object, naming the entry', () => {
    expect(() => unmarshal(Buffer.from('not json'), 'record R1')).toThrow(StateCorruptError);
    expect(() => unmarshal(Buffer.from('[1]'), 'record R1')).toThrow(
      'state of record R1 is not a JSON object',
    );
  });
});

describe('RFC 8785 strictness', () => {
  it('refuses a lone surrogate in a value or a key, naming the JSON pointer, and accepts a whole pair', () => {
    expect(() => canonicalJson(JSON.parse('{"a":[1,"x\\ud800"]}'), 'payload')).toThrow(
      new InvalidArgumentError('payload holds a lone surrogate at "/a/1" (RFC 8785 refuses it)'),
    );
    expect(() => canonicalJson(JSON.parse('{"\\udfff":1}'))).toThrow(/key with a lone surrogate/);
    expect(canonicalJson(JSON.parse('{"a":"\\ud83d\\ude00"}'))).toBe('{"a":"😀"}');
  });

  it('refuses a "__proto__" key instead of dropping it', () => {
    expect(() => canonicalJson(JSON.parse('{"a":{"__proto__":{"x":1}}}'), 'payload')).toThrow(
      new InvalidArgumentError('payload holds a "__proto__" key at "/a"; it is refused'),
    );
  });

  it('accepts text that only looks like either: a backslash before "ud", "__proto__" as a value', () => {
    const value = { note: 'C:\\ud800\\x', key: '"__proto__":', name: '__proto__' };
    expect(canonicalJson(value)).toBe(
      '{"key":"\\"__proto__\\":","name":"__proto__","note":"C:\\\\ud800\\\\x"}',
    );
  });
});
