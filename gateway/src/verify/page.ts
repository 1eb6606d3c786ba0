import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import express, { Request, Response, Router } from 'express';
import helmet from 'helmet';

/**
 * The public verification page (`/verify/`): static HTML, CSS and JavaScript with English and Khmer
 * message catalogues, no framework and no login. The browser hashes the holder's file itself
 * (WebCrypto over the same RFC 8785 form the chaincode hashes) and sends only the record id and
 * the hash to `POST /api/v1/verifications`.
 */

/** Where the page's files are: `gateway/verify-page`, from `src/verify` (tests) and `dist/verify` alike. */
export const PAGE_DIR = path.resolve(__dirname, '..', '..', 'verify-page');

/**
 * The page's Content-Security-Policy: its own scripts, styles and catalogues only, nothing inline,
 * no frames, no forms posting anywhere, no plugins.
 */
const PAGE_CSP = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
  },
});

/**
 * The RFC 8785 library the gateway uses (canonicalize), as an ES module for the browser: the
 * page and the gateway canonicalize with the same code. Read once.
 */
let canonicalizeModule: string | undefined;
function browserCanonicalize(): string {
  canonicalizeModule ??= `const module = { exports: {} };\n${readFileSync(
    require.resolve('canonicalize'),
    'utf8',
  )}\nexport default module.exports;\n`;
  return canonicalizeModule;
}

/** `GET /verify/...`: the page, its assets and catalogues. */
export function verifyPageRouter(): Router {
  const router = Router();
  router.use('/verify', PAGE_CSP);
  router.get('/verify/vendor/canonicalize.js', (_req: Request, res: Response) => {
    res.type('text/javascript').set('Cache-Control', 'public, max-age=3600').send(browserCanonicalize());
  });
  router.use('/verify', express.static(PAGE_DIR, { index: 'index.html', maxAge: '1h', fallthrough: true }));
  return router;
}
