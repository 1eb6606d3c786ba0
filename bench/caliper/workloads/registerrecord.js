'use strict';

const { randomBytes } = require('node:crypto');
const { WorkloadModuleBase } = require('@hyperledger/caliper-core');
const registered = require('./registered');

/** egov ledger:RegisterRecord of a new education.credential (the demo schema) as its issuer. */
class RegisterRecord extends WorkloadModuleBase {
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
  }

  async submitTransaction() {
    this.sent++;
    const id = `CAL-${process.pid}-${this.workerIndex}-${this.sent}`;
    const record = {
      id,
      category: 'G2C',
      recordType: 'education.credential',
      subjectRef: `psn:caliper-${process.pid}-${this.workerIndex}-${this.sent}`,
      payload: {
        certificateNo: id,
        degree: 'BSc Computer Science',
        institution: 'University of Lisbon',
        year: 2024,
        grade: 3.5,
        honours: true,
      },
    };
    const status = await this.sutAdapter.sendRequests({
      contractId: 'egov',
      contractFunction: 'ledger:RegisterRecord',
      contractArguments: [JSON.stringify(record)],
      // The document hash is salted (hash scheme 2): the client draws the salt, never the chaincode.
      transientMap: { salt: randomBytes(32) },
      invokerIdentity: 'User1',
      readOnly: false,
    });
    if (status.GetStatus() === 'success') {
      registered.push(JSON.parse(Buffer.from(status.GetResult()).toString('utf8')).hash);
    }
  }
}

module.exports.createWorkloadModule = () => new RegisterRecord();
