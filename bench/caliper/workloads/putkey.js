'use strict';
const { WorkloadModuleBase } = require('@hyperledger/caliper-core');

/** The one-key write: the conformance chaincode's Put of a fresh key (no hot key). */
class PutKey extends WorkloadModuleBase {
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
    this.sent = 0;
    this.value = 'x'.repeat(100);
  }

  async submitTransaction() {
    this.sent++;
    const key = `caliper-${process.pid}-${this.workerIndex}-${this.sent}`;
    await this.sutAdapter.sendRequests({
      contractId: 'conformance',
      contractFunction: 'Put',
      contractArguments: [key, this.value],
      invokerIdentity: 'User1',
      readOnly: false,
    });
  }
}

module.exports.createWorkloadModule = () => new PutKey();
