import { z } from 'zod';

/**
 * The schema of `ministries.yaml` as written by people: strict objects (an unknown key is an error,
 * so a typo never silently falls back to a default), names checked against the rules Fabric applies.
 * Defaults and port assignment happen later, in {@link resolveMinistries}.
 */

/** Fabric's channel name rule (`configtx.ValidateChannelID`): lower case, digits, dot, dash; starts with a letter. */
const channelName = z
  .string()
  .max(249, 'a channel name is at most 249 characters')
  .regex(/^[a-z][a-z0-9.-]*$/, 'a channel name must match [a-z][a-z0-9.-]* (Fabric channel id rule)');

/** Fabric's chaincode name rule (`_lifecycle`): letters and digits, single `-`/`_` separators. */
const chaincodeName = z
  .string()
  .regex(/^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$/, 'a chaincode name must match [a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*');

/** Fabric's chaincode version rule (`_lifecycle`). */
const chaincodeVersion = z
  .string()
  .regex(/^[A-Za-z0-9_.+-]+$/, 'a chaincode version must match [A-Za-z0-9_.+-]+');

/** MSP ids become folder and file names here, so they are restricted to a safe alphabet. */
const mspId = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]*$/,
    'an MSP id must start with a letter and contain only letters, digits, _ and -',
  );

/** A DNS name in lower case: the organization's domain (cryptogen's `Domain`). */
const domain = z
  .string()
  .max(253)
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
    'a domain must be a lower-case DNS name such as health.egov.local',
  );

/** One DNS label: a node's host name inside its organization's domain (cryptogen's `Hostname`). */
const hostname = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a hostname must be one lower-case DNS label such as peer0');

/** A display name: a ministry's short name, used in logs and documents. */
const displayName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9 _-]*$/,
    'a name must start with a letter and contain only letters, digits, space, _ and -',
  );

const port = z.number().int('a port must be an integer').min(1).max(65535);

/** Go duration syntax, as configtxgen parses `BatchTimeout` (e.g. `100ms`, `2s`, `1m30s`). */
const duration = z
  .string()
  .regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, 'a duration must use Go syntax such as 100ms or 2s');

/** A byte size: a number, or configtxgen's unit syntax (`10 MB` = 10 × 1024 × 1024 bytes). */
const byteSize = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(
      /^\d+\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/,
      'a size must be bytes or a number with KB, MB or GB (configtxgen units)',
    ),
]);

/** One peer of a ministry; every field is optional. */
export const peerSchema = z.strictObject({
  hostname: hostname.optional(),
  port: port.optional(),
  operationsPort: port.optional(),
  chaincodePort: port.optional(),
});

/** An organization's certificate authority (speaking Fabric CA's REST API); every field is optional. */
export const caSchema = z.strictObject({
  port: port.optional(),
});

/** One ministry: a Fabric organization in the channel's Application group. */
export const ministrySchema = z.strictObject({
  mspId,
  name: displayName,
  domain,
  peers: z.array(peerSchema).min(1, 'a ministry needs at least one peer').optional(),
  ca: caSchema.optional(),
  /** cryptogen's `Users: Count`: User1..UserN besides Admin (default 1). */
  users: z.number().int('users must be an integer').min(1, 'users must be at least 1').max(100).optional(),
});

/** The ordering service organization and its one Raft node. */
export const ordererSchema = z.strictObject({
  name: displayName.default('OrdererOrg'),
  mspId: mspId.default('OrdererMSP'),
  domain: domain.default('egov.local'),
  hostname: hostname.default('orderer'),
  port: port.default(7050),
  operationsPort: port.default(9443),
  ca: caSchema.default({}),
  batchTimeout: duration.default('100ms'),
  batchSize: z
    .strictObject({
      maxMessageCount: z.number().int().positive().default(50),
      absoluteMaxBytes: byteSize.default('10 MB'),
      preferredMaxBytes: byteSize.default('2 MB'),
    })
    .default({ maxMessageCount: 50, absoluteMaxBytes: '10 MB', preferredMaxBytes: '2 MB' }),
});

/** The whole file. */
export const ministriesFileSchema = z.strictObject({
  channel: channelName.default('egov'),
  chaincode: z
    .strictObject({ name: chaincodeName.default('egov'), version: chaincodeVersion.default('0.1') })
    .default({ name: 'egov', version: '0.1' }),
  orderer: ordererSchema.default(() => ordererSchema.parse({})),
  ministries: z.array(ministrySchema).min(1, 'at least one ministry is required'),
});

/** `ministries.yaml` after schema validation, before defaults for peers and ports are resolved. */
export type MinistriesFile = z.infer<typeof ministriesFileSchema>;
