'use strict';
const { WorkloadModuleBase } = require('@hyperledger/caliper-core');
const registered = require('./registered');

/** egov ledger:VerifyHash (an evaluate) of a record this worker registered, round robin. */
class VerifyHash extends WorkloadModuleBase {
  async initializeWorkloadModule(
    workerIndex,
    totalWorkers,
    roundIndex,
    roundArguments,
    sutAdapter,
    sutContext,
  ) {
    await super.initializeWorkloadModule(
      workerIndex,
      totalWorkers,
      roundIndex,
      roundArguments,
      sutAdapter,
      sutContext,
    );
    if (registered.length === 0)
      throw new Error('no registered records to verify: the register-record round must run first');
    this.sent = 0;
  }

  async submitTransaction() {
    const hash = registered[this.sent++ % registered.length];
    await this.sutAdapter.sendRequests({
      contractId: 'egov',
      contractFunction: 'ledger:VerifyHash',
      contractArguments: [hash],
      invokerIdentity: 'User1',
      readOnly: true,
    });
  }
}

module.exports.createWorkloadModule = () => new VerifyHash();
