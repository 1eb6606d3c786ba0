import { createRequire } from 'node:module';
import { dropDisabledLogLevels } from './shim-logging';

/** The parts of a fabric-shim (winston 3) logger the test drives. */
interface ShimLogger {
  level: string;
  format: { transform(info: unknown, options?: unknown): unknown };
  transports: { log(info: unknown, next: () => void): void }[];
  debug(message: string): unknown;
  info(message: string): unknown;
}

const load = createRequire(__filename);

describe('dropDisabledLogLevels', () => {
  let logger: ShimLogger;
  let formatted: jest.SpyInstance;
  let written: jest.SpyInstance;

  beforeEach(() => {
    // jest gives each test file its own module registry: this file's fabric-shim and winston are fresh
    logger = (load('fabric-shim/lib/logger') as { getLogger(name: string): ShimLogger }).getLogger(
      'shim-logging-test',
    );
    logger.level = 'info';
    formatted = jest.spyOn(logger.format, 'transform');
    written = jest.spyOn(logger.transports[0], 'log').mockImplementation((_info, next) => next());
  });

  afterEach(() => jest.restoreAllMocks());

  it('stops fabric-shim formatting debug messages at info level, and still writes info ones', () => {
    logger.debug('before: formatted, then dropped by the transport');
    expect(formatted).toHaveBeenCalledTimes(1);
    expect(written).not.toHaveBeenCalled();

    expect(dropDisabledLogLevels()).toBeGreaterThan(0); // one winston, or one per library when npm nests them
    formatted.mockClear();
    logger.debug('after: dropped before formatting');
    expect(formatted).not.toHaveBeenCalled();
    expect(written).not.toHaveBeenCalled();

    logger.info('written as before');
    expect(formatted).toHaveBeenCalledTimes(1);
    expect(written).toHaveBeenCalledTimes(1);
    expect(written.mock.calls[0][0]).toMatchObject({ level: expect.stringContaining('info') });
  });

  it('still writes debug messages when the level is debug, and changes each winston once', () => {
    dropDisabledLogLevels();
    expect(dropDisabledLogLevels()).toBe(0);
    logger.level = 'debug';
    logger.debug('shown at debug level');
    expect(written).toHaveBeenCalledTimes(1);
  });
});
