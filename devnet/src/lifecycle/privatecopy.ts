import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StateDB } from '../ledger/statedb';
import { hashOf, privateNamespace } from '../ledger/pvtdatastorage/namespaces';

interface Candidate {
  ns: string;
  coll: string;
  key: string;
  value: string; // base64
}

/**
 * This peer's copy of its own organization's private `_lifecycle` values (the approvals it endorsed).
 * Fabric keeps them in the org's implicit collection, delivered to the org's peers at endorsement
 * and stored at commit. devnet records every value its peer endorsed (append-only, fsync'd before
 * the endorsement is returned) and answers a read with the value whose hash equals the committed
 * hash — so a value from a transaction that never committed is never returned. Values the private
 * data store holds (`<ns>$$p<coll>`) are preferred.
 */
export class PrivateCopy {
  private readonly byKey = new Map<string, Uint8Array[]>();

  private constructor(
    private readonly file: string,
    private readonly state: StateDB | undefined,
  ) {}

  /** Opens `<dir>/private-values.jsonl` (created when absent). */
  static open(dir: string, state?: StateDB): PrivateCopy {
    fs.mkdirSync(dir, { recursive: true });
    const copy = new PrivateCopy(path.join(dir, 'private-values.jsonl'), state);
    if (fs.existsSync(copy.file)) {
      for (const line of fs.readFileSync(copy.file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          const c = JSON.parse(line) as Candidate;
          copy.remember(c.ns, c.coll, c.key, Buffer.from(c.value, 'base64'));
        } catch {
          // a torn last line after a crash: that endorsement was never returned
        }
      }
    }
    return copy;
  }

  /** Records values this peer endorsed (durably). */
  add(ns: string, writes: { collection: string; key: string; value?: Uint8Array }[]): void {
    const lines = writes
      .filter((w) => w.value !== undefined)
      .map((w) =>
        JSON.stringify({
          ns,
          coll: w.collection,
          key: w.key,
          value: Buffer.from(w.value!).toString('base64'),
        } satisfies Candidate),
      );
    if (lines.length === 0) return;
    const fd = fs.openSync(this.file, 'a');
    try {
      fs.writeSync(fd, `${lines.join('\n')}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    for (const w of writes) if (w.value !== undefined) this.remember(ns, w.collection, w.key, w.value);
  }

  /** The value of (ns, coll, key) whose SHA-256 is `valueHash`, if this peer holds it. */
  async privateValue(
    ns: string,
    coll: string,
    key: string,
    valueHash: Uint8Array,
  ): Promise<Uint8Array | undefined> {
    const want = Buffer.from(valueHash);
    const stored = await this.state?.get(privateNamespace(ns, coll), key);
    if (stored && want.equals(Buffer.from(hashOf(stored.value)))) return stored.value;
    return (this.byKey.get(JSON.stringify([ns, coll, key])) ?? []).find((v) =>
      want.equals(Buffer.from(hashOf(v))),
    );
  }

  /** The keys in [start, end) of (ns, coll) this peer holds values of, sorted. */
  async privateKeys(ns: string, coll: string, start: string, end: string): Promise<string[]> {
    const keys = new Set<string>();
    if (this.state)
      for await (const r of this.state.getRange(privateNamespace(ns, coll), start, end)) keys.add(r.key);
    for (const id of this.byKey.keys()) {
      const [n, c, k] = JSON.parse(id) as [string, string, string];
      if (n === ns && c === coll && k >= start && (end === '' || k < end)) keys.add(k);
    }
    return [...keys].sort();
  }

  private remember(ns: string, coll: string, key: string, value: Uint8Array): void {
    const id = JSON.stringify([ns, coll, key]);
    const list = this.byKey.get(id) ?? [];
    if (!list.some((v) => Buffer.from(v).equals(Buffer.from(value)))) list.push(value);
    this.byKey.set(id, list);
  }
}
