'use strict';
// The one-key write: the conformance chaincode's Put of a fresh key (no hot key), 100 bytes.
const { RequestWorkload } = require('./common');

const VALUE = 'x'.repeat(100);

module.exports.createWorkloadModule = () =>
  new RequestWorkload((n, w) => ({
    contractId: 'conformance',
    contractFunction: 'Put',
    contractArguments: [`caliper-${process.pid}-${w.workerIndex}-${n}`, VALUE],
    readOnly: false,
  }));
