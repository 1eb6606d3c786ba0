'use strict';
// egov verification:Verify of a seeded record by id and document hash, for the caller's own
// organization: a submit that writes one log entry, keyed by its transaction (no hot key).
const { RequestWorkload, recordFor, seededRecords } = require('./common');

module.exports.createWorkloadModule = () => {
  const records = seededRecords();
  return new RequestWorkload((n, w) => {
    const { id, hash } = recordFor(records, n, w);
    return {
      contractId: 'egov',
      contractFunction: 'verification:Verify',
      contractArguments: [id, hash, 'false'],
      readOnly: false,
    };
  });
};
