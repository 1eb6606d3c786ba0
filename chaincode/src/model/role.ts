/**
 * The roles of the authority repository. A ministry's admin identity (certificate OU=admin) is
 * the root of its ministry; `ministry-admin` is that authority delegated to another identity of
 * the same ministry, limited to a scope (it cannot be delegated further). The currency's roles
 * (`currency-issuer`: the central bank's minting, burning, rates and conversions; `treasurer`:
 * spending from the ministry's treasury; `teller`: operating the ministry's citizens' accounts)
 * are granted with scope `*`.
 */
export const ROLES = [
  'ministry-admin',
  'issuer',
  'auditor',
  'rule-admin',
  'verifier',
  'currency-issuer',
  'treasurer',
  'teller',
] as const;

/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** Whether a string names a role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
