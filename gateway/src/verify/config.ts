import { z } from 'zod';
import { parseEnvironment } from '../config';

/** The verification settings of the gateway's environment. */
export interface VerifyConfig {
  /** Origin the holders' QR codes link to (`GATEWAY_PUBLIC_URL`); unset: the request's own. */
  publicUrl?: string;
  /** Verifications per client address per minute (`GATEWAY_VERIFY_RATE_LIMIT`); unset: the default. */
  verifyRateLimitPerMinute?: number;
}

const verifyEnvSchema = z.object({
  GATEWAY_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'an http(s) origin such as https://verify.gov.kh' })
    .optional(),
  GATEWAY_VERIFY_RATE_LIMIT: z.coerce.number().int().min(1).optional(),
});

/**
 * Reads the verification settings from `env`.
 * @throws ConfigError naming every wrong variable.
 */
export function loadVerifyConfig(env: NodeJS.ProcessEnv = process.env): VerifyConfig {
  const e = parseEnvironment(verifyEnvSchema, env);
  return {
    ...(e.GATEWAY_PUBLIC_URL ? { publicUrl: e.GATEWAY_PUBLIC_URL } : {}),
    ...(e.GATEWAY_VERIFY_RATE_LIMIT ? { verifyRateLimitPerMinute: e.GATEWAY_VERIFY_RATE_LIMIT } : {}),
  };
}
