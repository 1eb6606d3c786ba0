import { createRequire } from 'node:module';
import * as path from 'node:path';

/**
 * Log messages below their logger's level are dropped before they are formatted.
 *
 * fabric-shim and fabric-contract-api 2.5.8 log through winston 3, which runs a logger's whole
 * format chain (timestamp, metadata, colors, printf) for every message and only then lets the
 * transport drop a message below the level. fabric-shim writes several debug messages for each
 * message it exchanges with the peer (a RegisterRecord exchanges about thirty), so at the usual
 * `info` level about a fifth of the egov chaincode server's CPU went to formatting messages that
 * were then thrown away (CPU profile of `bench:ledger`, docs/performance.md). This makes the
 * winston those two libraries load skip a message whose level no transport would write. What is
 * logged does not change: the same messages at any level, CORE_CHAINCODE_LOGGING_LEVEL included.
 */

/** Where winston (via triple-beam) keeps an entry's level. */
const LEVEL = Symbol.for('level');
/** Marks a winston Logger prototype already changed here. */
const DROPS_DISABLED = Symbol.for('egov.dropsDisabledLevels');

/** The libraries whose winston is changed: the ones the chaincode server runs. */
export const LOGGING_LIBRARIES: readonly string[] = ['fabric-shim', 'fabric-contract-api'];

/** The parts of winston's Logger prototype used here. */
interface LoggerPrototype {
  write(chunk: unknown, ...rest: unknown[]): boolean;
  isLevelEnabled(level: string): boolean;
  [DROPS_DISABLED]?: boolean;
}

/**
 * winston's Logger class as loaded by `library` (its own copy when npm nests one), or undefined
 * when either cannot be found: then nothing is changed, and the chaincode runs as it would anyway.
 */
function winstonLoggerOf(library: string): { prototype: LoggerPrototype } | undefined {
  try {
    const load = createRequire(__filename);
    const libraryDir = path.dirname(load.resolve(`${library}/package.json`));
    const winston = load(load.resolve('winston', { paths: [libraryDir] })) as {
      Logger?: { prototype: LoggerPrototype };
    };
    return typeof winston.Logger?.prototype?.isLevelEnabled === 'function' ? winston.Logger : undefined;
  } catch {
    return undefined;
  }
}

/** The level of a winston entry, or undefined for anything else written to the stream. */
function levelOf(entry: unknown): string | undefined {
  if (entry === null || typeof entry !== 'object') return undefined;
  const level = (entry as Record<symbol, unknown>)[LEVEL];
  return typeof level === 'string' ? level : undefined;
}

/**
 * Makes the winston of each library drop entries below the level before formatting them; calling
 * it again changes nothing.
 * @returns how many winston copies were changed by this call.
 */
export function dropDisabledLogLevels(libraries: readonly string[] = LOGGING_LIBRARIES): number {
  let changed = 0;
  for (const library of libraries) {
    const proto = winstonLoggerOf(library)?.prototype;
    if (proto === undefined || proto[DROPS_DISABLED]) continue;
    const write = proto.write;
    proto.write = function (this: LoggerPrototype, entry: unknown, ...rest: unknown[]): boolean {
      const level = levelOf(entry);
      if (level !== undefined && !this.isLevelEnabled(level)) {
        const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        if (done) process.nextTick(done);
        return true;
      }
      return write.call(this, entry, ...rest);
    };
    proto[DROPS_DISABLED] = true;
    changed++;
  }
  return changed;
}
