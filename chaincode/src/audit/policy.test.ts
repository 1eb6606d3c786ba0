import { combinePolicies, parseAuditPolicy } from './policy';

describe('audit policies', () => {
  it('parses a policy with defaults and refuses bad fields by name', () => {
    expect(parseAuditPolicy({ approvals: 2, deadlineSeconds: 60 }, 'audit')).toEqual({
      approvals: 2,
      rejections: 1,
      outsideIssuer: 0,
      deadlineSeconds: 60,
    });
    expect(() => parseAuditPolicy({ approvals: 2, outsideIssuer: 3, deadlineSeconds: 60 }, 'audit')).toThrow(
      'audit: field "outsideIssuer" must be an integer from 0 to 2',
    );
    expect(() => parseAuditPolicy({ approvals: 1, deadlineSeconds: 60, quorum: 1 }, 'audit')).toThrow(
      'audit: unknown field(s) "quorum"',
    );
    expect(() => parseAuditPolicy([], 'audit')).toThrow('audit must be a JSON object');
    expect(() =>
      parseAuditPolicy({ approvals: 1, deadlineSeconds: 60, ministries: ['A B'] }, 'audit'),
    ).toThrow('audit: field "ministries[0]" must be an MSP ID');
  });

  it('combines several policies into the strictest requirement, pinning each version', () => {
    const combined = combinePolicies([
      {
        ref: { ruleId: 'R1', version: 2 },
        policy: {
          approvals: 2,
          rejections: 2,
          outsideIssuer: 0,
          deadlineSeconds: 600,
          ministries: ['A', 'B'],
        },
      },
      {
        ref: { ruleId: 'R2', version: 1 },
        policy: {
          approvals: 1,
          rejections: 1,
          outsideIssuer: 1,
          deadlineSeconds: 60,
          ministries: ['B', 'C'],
        },
      },
    ]);
    expect(combined).toEqual({
      approvals: 2,
      rejections: 1,
      outsideIssuer: 1,
      deadlineSeconds: 60,
      ministries: ['B'],
      policies: [
        { ruleId: 'R1', version: 2 },
        { ruleId: 'R2', version: 1 },
      ],
    });
    expect(combinePolicies([])).toBeUndefined();
  });
});
