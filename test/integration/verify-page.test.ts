/* eslint-disable @typescript-eslint/no-explicit-any -- tests read fields of arbitrary JSON answers */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO, TEST_GATEWAY_PORT, testNetwork } from '../support/devnet';
import { chromiumPath } from '../support/browser';
import { httpJson, startHttpGateway, type HttpGateway } from '../support/http';
import { newSeededRecord } from '../support/seed';

/**
 * Where the screenshots of each state go: a temporary folder, so that `npm test` leaves the working
 * tree as it was; `GOVFABRIC_SCREENSHOTS=docs` writes them to docs/screenshots (the README shows one).
 */
const SHOTS =
  process.env.GOVFABRIC_SCREENSHOTS === 'docs'
    ? path.join(REPO, 'docs', 'screenshots')
    : path.join(os.tmpdir(), 'govfabric-verify-screenshots');
const PHONE = { width: 390, height: 844 };

/** WCAG 2.2 contrast ratio of two `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? [])
      .slice(0, 3)
      .map(Number)
      .map((v) => {
        const s = v / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// Issue 16: the public verification page in a real Chromium (Debian's, driven by playwright-core),
// against a real gateway and the test devnet: documents issued through POST /api/v1/records.
describe('the verification page in Chromium', () => {
  let gw: HttpGateway;
  let browser: Browser;
  let dir: string;
  const personal = { fullName: 'Amina Okafor', birthDate: '1990-05-17', passportNo: 'P4481923X' };
  const valid = newSeededRecord('immigration.residence-permit');
  const revoked = newSeededRecord('immigration.residence-permit', { subjectRef: valid.subjectRef });
  const issued: Record<string, any> = {};

  beforeAll(async () => {
    const executablePath = chromiumPath();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govfabric-verify-'));
    fs.mkdirSync(SHOTS, { recursive: true });
    gw = await startHttpGateway(testNetwork().home, 'ImmigrationMSP', TEST_GATEWAY_PORT + 4);
    for (const record of [valid, revoked]) {
      const res = await httpJson(`${gw.url}/api/v1/records`, {
        method: 'POST',
        body: { ...record, personal },
      });
      expect(res).toMatchObject({ status: 201, body: { id: record.id, status: 'ACTIVE' } });
      expect(res.body.documentError).toBeUndefined();
      issued[record.id] = res.body;
    }
    const revoke = await httpJson(`${gw.url}/api/v1/records/${revoked.id}/revoke`, {
      method: 'POST',
      body: { reason: 'issued in error' },
    });
    expect(revoke.status).toBe(200);
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The holder's file of a record as issued, written where the browser can pick it. */
  function holderFile(id: string, change?: (doc: any) => void): string {
    const doc = structuredClone(issued[id].document);
    change?.(doc);
    const file = path.join(dir, `${id}${change ? '-changed' : ''}.json`);
    fs.writeFileSync(file, JSON.stringify(doc));
    return file;
  }

  /** Opens the page and waits until it has loaded its catalogue (and verified a QR link's record). */
  async function open(url = `${gw.url}/verify/`, viewport = { width: 1000, height: 900 }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    (page as any).errors = errors;
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  }

  /** Waits for the verdict and answers its outcome, title and details, and checks its contrast. */
  async function verdict(page: Page) {
    await page.waitForSelector('#result[data-outcome]:not([data-outcome="BUSY"])');
    // (callbacks of $eval and evaluate run in the page: `any` stands for its DOM types)
    const result = await page.$eval('#result', (el: any) => {
      const style = (globalThis as any).getComputedStyle(el);
      const dd = Object.fromEntries(
        [...el.querySelectorAll('dd')].map((d: any) => [d.dataset.field, d.textContent]),
      );
      return {
        outcome: el.dataset.outcome as string,
        title: el.querySelector('#verdict').textContent as string,
        text: el.innerText as string,
        fields: dd as Record<string, string>,
        color: style.color as string,
        background: style.backgroundColor as string,
      };
    });
    expect(contrast(result.color, result.background)).toBeGreaterThanOrEqual(4.5);
    expect((page as any).errors).toEqual([]); // no CSP violation, no script error
    return result;
  }

  /** Drops a file on the drop zone, as a user dragging it from their files would. */
  async function dropFile(page: Page, file: string): Promise<void> {
    const content = fs.readFileSync(file, 'utf8');
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new (globalThis as any).DataTransfer();
      dt.items.add(new File([text], 'document.json', { type: 'application/json' }));
      return dt;
    }, content);
    await page.dispatchEvent('#drop', 'drop', { dataTransfer });
  }

  it('verifies a real issued document dropped on the page: valid, with its ministry, block and transaction', async () => {
    const page = await open();
    const sent: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && sent.push(r.postData() ?? ''));
    await dropFile(page, holderFile(valid.id));
    const v = await verdict(page);
    expect(v).toMatchObject({ outcome: 'ACTIVE', title: 'Valid document' });
    expect(v.fields).toMatchObject({
      recordId: valid.id,
      issuer: 'ImmigrationMSP',
      recordType: 'immigration.residence-permit',
      status: 'Active',
    });
    expect(v.fields.registeredIn).toMatch(
      new RegExp(`^block \\d+, transaction ${issued[valid.id].transactionId}$`),
    );
    expect(v.fields.registeredIn).toContain(`block ${issued[valid.id].blockNumber},`);
    expect(v.fields.logged).toMatch(/^block \d+, transaction [0-9a-f]{64}$/);
    // the file never left the device: only the record id and the recomputed hash were sent
    expect(sent.map((b) => JSON.parse(b))).toEqual([{ recordId: valid.id, hash: issued[valid.id].hash }]);
    for (const value of Object.values(personal)) expect(v.text).not.toContain(value);
    await page.screenshot({ path: path.join(SHOTS, 'verify-valid.png'), fullPage: true });
    await page.close();
  });

  it('shows a revoked document as revoked (file chosen with the file picker)', async () => {
    const page = await open();
    await page.setInputFiles('#file', holderFile(revoked.id));
    const v = await verdict(page);
    expect(v).toMatchObject({ outcome: 'REVOKED', title: 'Revoked document', fields: { status: 'Revoked' } });
    expect(v.fields.changedIn).toMatch(/^block \d+, transaction [0-9a-f]{64}$/);
    await page.screenshot({ path: path.join(SHOTS, 'verify-revoked.png'), fullPage: true });
    await page.close();
  });

  it('refuses a document with one field changed', async () => {
    const page = await open();
    await dropFile(
      page,
      holderFile(valid.id, (doc) => {
        doc.credentialSubject.document.permitType = 'investor';
      }),
    );
    const v = await verdict(page);
    expect(v).toMatchObject({ outcome: 'MISMATCH', title: 'Not valid: this document was changed' });
    await page.screenshot({ path: path.join(SHOTS, 'verify-tampered.png'), fullPage: true });
    await page.close();
  });

  it('finds no record for an unknown document', async () => {
    const page = await open();
    await dropFile(
      page,
      holderFile(valid.id, (doc) => {
        doc.evidence[0].recordId = `${valid.id}-unknown`;
      }),
    );
    const v = await verdict(page);
    expect(v).toMatchObject({ outcome: 'NOT_FOUND', title: 'Not found' });
    await page.screenshot({ path: path.join(SHOTS, 'verify-unknown.png'), fullPage: true });
    await page.close();
  });

  it("opens a QR code's link on a phone and verifies the record it names", async () => {
    const link = issued[valid.id].verifyUrl as string;
    expect(link).toBe(`${gw.url}/verify/?record=${valid.id}&hash=${issued[valid.id].hash}`);
    const page = await open(link, PHONE);
    const v = await verdict(page);
    expect(v).toMatchObject({ outcome: 'ACTIVE', title: 'Valid document', fields: { recordId: valid.id } });
    // fits the phone's width: no sideways scrolling
    expect(
      await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number),
    ).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: path.join(SHOTS, 'verify-qr-phone.png'), fullPage: true });
    await page.close();
  });

  it('checks a record number by keyboard alone, in Khmer', async () => {
    const page = await open(`${gw.url}/verify/?lang=km`);
    expect(await page.getAttribute('html', 'lang')).toBe('km');
    expect(await page.textContent('h1')).toBe('ផ្ទៀងផ្ទាត់ឯកសាររដ្ឋាភិបាល');
    // Tab from the top reaches the record number field through labelled controls only
    let focused = '';
    for (let i = 0; i < 10 && focused !== 'record-id'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => ((globalThis as any).document.activeElement?.id ?? '') as string);
    }
    expect(focused).toBe('record-id');
    expect(await page.textContent('label[for="record-id"]')).toBe('លេខកំណត់ត្រា');
    await page.keyboard.type(revoked.id);
    await page.keyboard.press('Enter');
    const v = await verdict(page);
    expect(v).toMatchObject({ outcome: 'REVOKED', title: 'រកឃើញកំណត់ត្រា៖ ត្រូវបានដកហូត' });
    await page.screenshot({ path: path.join(SHOTS, 'verify-record-id-km.png'), fullPage: true });
    await page.close();
  });

  it("lets the issuing ministry list who verified the subject's records, and when, without personal data", async () => {
    const res = await httpJson(
      `${gw.url}/api/v1/verifications?subjectRef=${encodeURIComponent(valid.subjectRef)}&pageSize=100`,
    );
    expect(res.status).toBe(200);
    const outcomes = res.body.items.map((e: any) => `${e.recordId} ${e.verifier} ${e.outcome}`).sort();
    expect(outcomes).toEqual(
      [
        `${valid.id} public ACTIVE`,
        `${valid.id} public ACTIVE`,
        `${valid.id} public MISMATCH`,
        `${revoked.id} public REVOKED`,
        `${revoked.id} public REVOKED`,
      ].sort(),
    );
    for (const e of res.body.items) expect(e.verifiedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    for (const value of Object.values(personal)) expect(JSON.stringify(res.body)).not.toContain(value);
  });
});
