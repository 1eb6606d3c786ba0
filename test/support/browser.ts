import * as fs from 'node:fs';

/**
 * The system Chromium the browser tests drive with playwright-core (Debian's `chromium` package;
 * `npm test` installs it when missing and it runs as root). `CHROMIUM_PATH` overrides.
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p): p is string => !!p && fs.existsSync(p));
  if (!found) {
    throw new Error(
      'the browser tests need Chromium, and none was found at /usr/bin/chromium (or CHROMIUM_PATH): ' +
        'install it with `sudo apt-get install chromium` (Debian; `npm test` does it when run as root), ' +
        'or set CHROMIUM_PATH to a Chromium or Chrome executable',
    );
  }
  return found;
}
