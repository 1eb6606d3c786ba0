import pino from 'pino';
import request from 'supertest';
import { createApp } from '../app';
import { ApiError } from '../errors';
import { RecordsService } from '../records/service';
import { checkStrictJson } from './strictjson';

describe('checkStrictJson (RFC 8785 input)', () => {
  it('accepts canonicalizable JSON, whole surrogate pairs included', () => {
    expect(() => checkStrictJson('{"a":[1,{"b":"\\ud83d\\ude00"}],"c":null}')).not.toThrow();
  });

  it.each([
    ['{"a":1,"a":2}', 'the key "a" twice in the object at ""'],
    ['{"p":{"x/y":1,"x/y":1}}', 'the key "x~1y" twice in the object at "/p"'],
    ['{"p":["\\ud800"]}', 'a lone surrogate at "/p/0"'],
    ['{"\\udc00":1}', 'a key with a lone surrogate in the object at ""'],
    ['{"payload":{"__proto__":{"admin":true}}}', 'a "__proto__" key in the object at "/payload"'],
  ])('refuses %s: %s', (text, what) => {
    expect(() => checkStrictJson(text)).toThrow(
      new ApiError('MALFORMED_JSON', `the request body holds ${what}; RFC 8785 JSON is required`),
    );
  });
});

describe('the gateway body parser refuses non-canonicalizable JSON with 400, before any route runs', () => {
  const calls: unknown[] = [];
  const records: RecordsService = {
    registerRecord: async (r) => {
      calls.push(r);
      throw new Error('not reached');
    },
    getRecord: async () => ({}),
    verifyHash: async () => ({ found: false }),
  };
  const app = createApp({ records, logger: pino({ level: 'silent' }) });

  it.each([
    ['a duplicate key', '{"id":"R1","id":"R2"}', /the key "id" twice/],
    ['a lone surrogate', '{"id":"R\\ud800"}', /a lone surrogate at "\/id"/],
    ['__proto__', '{"payload":{"__proto__":{}}}', /"__proto__" key in the object at "\/payload"/],
  ])('%s', async (_what, body, message) => {
    const res = await request(app)
      .post('/api/v1/records')
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(400);
    // every string of the error body, whichever shape the error handler gives it
    const strings = JSON.stringify(res.body, (_k, v: unknown) => v).match(/"(?:[^"\\]|\\.)*"/g) ?? [];
    const text = strings.map((s) => JSON.parse(s) as string).join(' ');
    expect(text).toMatch(message);
    expect(text).toMatch(/MALFORMED_JSON/);
    expect(calls).toHaveLength(0);
  });
});
