import { ConfigError } from '../config';
import { loadVerifyConfig } from './config';

describe('loadVerifyConfig', () => {
  it('reads the public origin and the verification rate limit, both optional', () => {
    expect(loadVerifyConfig({})).toEqual({});
    expect(
      loadVerifyConfig({ GATEWAY_PUBLIC_URL: 'https://verify.gov.kh', GATEWAY_VERIFY_RATE_LIMIT: '12' }),
    ).toEqual({ publicUrl: 'https://verify.gov.kh', verifyRateLimitPerMinute: 12 });
  });

  it('refuses a public URL that is not http(s) and a limit below 1, naming the variables', () => {
    const load = () => loadVerifyConfig({ GATEWAY_PUBLIC_URL: 'ftp://x', GATEWAY_VERIFY_RATE_LIMIT: '0' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      /GATEWAY_PUBLIC_URL.*GATEWAY_VERIFY_RATE_LIMIT|GATEWAY_VERIFY_RATE_LIMIT.*GATEWAY_PUBLIC_URL/,
    );
  });
});
