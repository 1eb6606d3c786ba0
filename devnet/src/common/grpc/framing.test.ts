import { status as Status } from '@grpc/grpc-js';
import { DeframeError, MessageDeframer, frameMessage } from './framing';

const msgs = (...s: string[]): Buffer[] => s.map((x) => Buffer.from(x));

describe('frameMessage / MessageDeframer', () => {
  it('frames a message with flag 0 and its big-endian length', () => {
    expect([...frameMessage(Buffer.from('abc'))]).toEqual([0, 0, 0, 0, 3, 97, 98, 99]);
  });

  it('reads several messages from one chunk, empty ones included', () => {
    const d = new MessageDeframer(-1);
    const chunk = Buffer.concat([
      frameMessage(Buffer.from('one')),
      frameMessage(Buffer.alloc(0)),
      frameMessage(Buffer.from('three')),
    ]);
    expect(d.push(chunk)).toEqual(msgs('one', '', 'three'));
    expect(d.idle).toBe(true);
  });

  it('reads messages split anywhere across chunks, byte by byte included', () => {
    const stream = Buffer.concat([
      frameMessage(Buffer.from('hello')),
      frameMessage(Buffer.alloc(0)),
      frameMessage(Buffer.from('world!')),
    ]);
    for (let size = 1; size <= stream.length; size++) {
      const d = new MessageDeframer(100);
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) out.push(...d.push(stream.subarray(i, i + size)));
      expect(out).toEqual(msgs('hello', '', 'world!'));
      expect(d.idle).toBe(true);
    }
  });

  it('holds a partial message until its last byte arrives', () => {
    const d = new MessageDeframer(-1);
    const f = frameMessage(Buffer.from('partial'));
    expect(d.push(f.subarray(0, 7))).toEqual([]);
    expect(d.idle).toBe(false);
    expect(d.push(f.subarray(7))).toEqual(msgs('partial'));
  });

  it('refuses a compressed message with INTERNAL', () => {
    const f = frameMessage(Buffer.from('z'));
    f[0] = 1;
    expect(() => new MessageDeframer(-1).push(f)).toThrow(DeframeError);
    expect(() => new MessageDeframer(-1).push(f)).toThrow(/Received compressed message/);
    try {
      new MessageDeframer(-1).push(f);
    } catch (err) {
      expect((err as DeframeError).code).toBe(Status.INTERNAL);
    }
  });

  it("refuses a message over the limit with RESOURCE_EXHAUSTED and grpc-js's text, also when its header is split", () => {
    const f = frameMessage(Buffer.alloc(11));
    const d = new MessageDeframer(10);
    expect(d.push(f.subarray(0, 2))).toEqual([]);
    let err: DeframeError | undefined;
    try {
      d.push(f.subarray(2));
    } catch (e) {
      err = e as DeframeError;
    }
    expect(err?.message).toBe('Received message larger than max (11 vs 10)');
    expect(err?.code).toBe(Status.RESOURCE_EXHAUSTED);
    expect(new MessageDeframer(11).push(f)).toHaveLength(1);
  });
});
