// The verification page. The holder's file is read and hashed here, in the browser: only the
// record id and the hash go to the gateway, never the document. The hash is the one the chaincode
// computed at issuing (hash scheme 2: SHA-256 of the RFC 8785 form of
// {document, recordId, salt, scheme: 2}; scheme 1: of the document alone), so a changed field
// gives another hash and the ledger says MISMATCH.
import canonicalize from '/verify/vendor/canonicalize.js';

const LANGUAGES = ['en', 'km'];
const API = '/api/v1/verifications';
let messages = {};
let lastAnswer;

const $ = (id) => document.getElementById(id);

/** A message of the current catalogue, `{name}` placeholders filled in. */
function t(key, values = {}) {
  const text = messages[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

async function loadLanguage(lang) {
  const res = await fetch(`/verify/i18n/${lang}.json`);
  messages = await res.json();
  document.documentElement.lang = lang;
  document.title = t('title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const b of document.querySelectorAll('button.lang'))
    b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  if (lastAnswer) render(lastAnswer);
}

/** Hex SHA-256 of a text's UTF-8 bytes (WebCrypto). */
async function sha256Hex(text) {
  if (!globalThis.crypto?.subtle) throw new PageError('needsHttps');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** An error to show as a catalogue message. */
class PageError extends Error {
  constructor(key) {
    super(key);
    this.key = key;
  }
}

/** The record id and the hash a holder's document commits to, recomputed from its fields and salt. */
async function commitmentOf(text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new PageError('notJson');
  }
  const evidence = Array.isArray(doc?.evidence) ? doc.evidence[0] : undefined;
  const fields = doc?.credentialSubject?.document;
  if (!evidence || typeof evidence.recordId !== 'string' || typeof fields !== 'object' || fields === null)
    throw new PageError('notDocument');
  let canonical;
  if (evidence.hashScheme === 2 && typeof evidence.salt === 'string') {
    canonical = canonicalize({
      document: fields,
      recordId: evidence.recordId,
      salt: evidence.salt,
      scheme: 2,
    });
  } else if (evidence.hashScheme === 1) {
    canonical = canonicalize(fields);
  } else {
    throw new PageError('notDocument');
  }
  return { recordId: evidence.recordId, hash: await sha256Hex(canonical) };
}

async function verify(request) {
  showBusy();
  let res;
  try {
    res = await fetch(API, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch {
    throw new PageError('network');
  }
  if (res.status === 429) throw new PageError('tooMany');
  const body = await res.json().catch(() => undefined);
  if (res.status === 400) throw new PageError('badInput');
  if (!body || res.status !== 200) throw new PageError('unavailable');
  lastAnswer = { ...body, byIdOnly: request.hash === undefined };
  render(lastAnswer);
}

/** Tone and verdict message of an answer. */
function verdictOf(a) {
  if (!a.found) return ['bad', 'NOT_FOUND'];
  if (a.outcome === 'MISMATCH') return ['bad', 'MISMATCH'];
  const tone = { ACTIVE: 'ok', SUSPENDED: 'warn', PENDING_AUDIT: 'warn' }[a.outcome] ?? 'bad';
  return [a.byIdOnly ? (tone === 'ok' ? 'info' : tone) : tone, a.byIdOnly ? `ID_${a.outcome}` : a.outcome];
}

function render(a) {
  const [tone, key] = verdictOf(a);
  const section = $('result');
  section.hidden = false;
  section.dataset.tone = tone;
  section.dataset.outcome = a.outcome;
  $('verdict').textContent = t(`verdict.${key}`);
  $('explanation').textContent = t(`explain.${key}`, { newer: a.supersededBy ?? '' });
  const rows = [];
  if (a.found) {
    rows.push(['recordId', a.id], ['issuer', a.issuerMsp], ['recordType', a.recordType]);
    rows.push(['status', t(`status.${a.status}`)]);
    if (a.supersededBy) rows.push(['newerVersion', a.supersededBy, newerLink(a.supersededBy)]);
    if (a.audit) rows.push(['audit', t(`audit.${a.audit.status}`)]);
    if (a.registeredAt) rows.push(['registeredAt', a.registeredAt]);
    const reg = a.proof?.registration;
    if (reg)
      rows.push(['registeredIn', t('blockTx', { block: reg.blockNumber ?? '?', tx: reg.transactionId })]);
    const last = a.proof?.lastChange;
    if (last)
      rows.push(['changedIn', t('blockTx', { block: last.blockNumber ?? '?', tx: last.transactionId })]);
  }
  if (a.logged)
    rows.push(['logged', t('blockTx', { block: a.logged.blockNumber, tx: a.logged.transactionId })]);
  const dl = $('details');
  dl.replaceChildren();
  for (const [label, value, link] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = t(`field.${label}`);
    const dd = document.createElement('dd');
    dd.dataset.field = label;
    if (link) dd.append(link);
    else dd.textContent = String(value);
    dl.append(dt, dd);
  }
  section.focus();
}

/** A link that checks the newer version by its record id. */
function newerLink(id) {
  const a = document.createElement('a');
  a.href = `/verify/?record=${encodeURIComponent(id)}`;
  a.textContent = id;
  return a;
}

function showBusy() {
  const section = $('result');
  section.hidden = false;
  section.dataset.tone = 'info';
  section.dataset.outcome = 'BUSY';
  $('verdict').textContent = t('busy');
  $('explanation').textContent = '';
  $('details').replaceChildren();
}

function showError(err) {
  lastAnswer = undefined;
  const section = $('result');
  section.hidden = false;
  section.dataset.tone = 'bad';
  section.dataset.outcome = 'ERROR';
  $('verdict').textContent = t('error.title');
  $('explanation').textContent = t(`error.${err instanceof PageError ? err.key : 'unavailable'}`);
  $('details').replaceChildren();
  section.focus();
}

async function checkFile(file) {
  try {
    if (!file) return;
    if (file.size > 1024 * 1024) throw new PageError('tooLarge');
    await verify(await commitmentOf(await file.text()));
  } catch (err) {
    showError(err);
  }
}

function wire() {
  $('file').addEventListener('change', (e) => checkFile(e.target.files[0]));
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    checkFile(e.dataTransfer.files[0]);
  });
  $('by-id').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = $('record-id').value.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(id)) return showError(new PageError('badId'));
    verify({ recordId: id }).catch(showError);
  });
  for (const b of document.querySelectorAll('button.lang'))
    b.addEventListener('click', () => loadLanguage(b.dataset.lang).catch(showError));
}

async function main() {
  wire();
  const params = new URLSearchParams(location.search);
  const asked = params.get('lang') ?? navigator.language.slice(0, 2);
  await loadLanguage(LANGUAGES.includes(asked) ? asked : 'en');
  // A QR link: /verify/?record=<id>&hash=<hash>
  const record = params.get('record');
  const hash = params.get('hash');
  if (record) {
    $('record-id').value = record;
    await verify(hash ? { recordId: record, hash } : { recordId: record }).catch(showError);
  }
  document.body.dataset.ready = 'true';
}

main().catch(showError);
