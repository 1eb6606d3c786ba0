'use strict';
// egov ledger:VerifyHash (an evaluate) of the seeded records' document hashes.
const { RequestWorkload, recordFor, seededRecords } = require('./common');

module.exports.createWorkloadModule = () => {
  const records = seededRecords();
  return new RequestWorkload((n, w) => ({
    contractId: 'egov',
    contractFunction: 'ledger:VerifyHash',
    contractArguments: [recordFor(records, n, w).hash],
    readOnly: true,
  }));
};
