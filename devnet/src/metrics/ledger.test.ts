import { register } from 'prom-client';
import { peer } from '@hyperledger/fabric-protos';
import { endorsedTx, newTestChannel, testBlock } from '../validator/testing';
import { channelOfBlock, recordBlockCommitted, txStats } from './ledger';
import { proposalCompleted, proposalReceived } from './endorser';

describe('ledger and endorser metrics (Fabric names and labels)', () => {
  it('counts transactions by type, chaincode name:version and validation code, and sets the height', async () => {
    const ch = await newTestChannel('egov', ['ImmigrationMSP', 'EducationMSP']);
    const [a, b] = ch.orgs;
    const t1 = endorsedTx('egov', a.member, [a.member, b.member], { writes: { k: 'v' } });
    const t2 = endorsedTx('egov', a.member, [a.member], { writes: { k: 'w' } });
    const block = testBlock(7, new Uint8Array(32), [t1.envelope, t2.envelope], ch.orderer.member);
    const filter = Uint8Array.of(
      peer.TxValidationCode.VALID,
      peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE,
    );
    expect(channelOfBlock(block)).toBe('egov');
    const stats = txStats(block, filter);
    expect(stats.map((s) => s.code)).toEqual(['VALID', 'ENDORSEMENT_POLICY_FAILURE']);
    expect(stats[0].type).toBe('ENDORSER_TRANSACTION');
    expect(stats[0].chaincode).toMatch(/^egov:/);

    recordBlockCommitted('egov', block, filter, 0.02);
    const text = await register.metrics();
    expect(text).toMatch(/ledger_blockchain_height\{channel="egov"\} 8/);
    expect(text).toMatch(
      /ledger_transaction_count\{channel="egov",transaction_type="ENDORSER_TRANSACTION",chaincode="egov:[^"]*",validation_code="ENDORSEMENT_POLICY_FAILURE"\} 1/,
    );
    expect(text).toMatch(/ledger_block_processing_time_bucket\{le="0.05",channel="egov"\} 1/);
  });

  it('observes endorser_proposal_duration with channel, chaincode and success', async () => {
    proposalReceived();
    proposalCompleted('egov', 'conformance', true, 0.003);
    const text = await register.metrics();
    expect(text).toMatch(
      /endorser_proposal_duration_count\{channel="egov",chaincode="conformance",success="true"\} 1/,
    );
    expect(text).toMatch(/endorser_proposals_received \d+/);
    expect(text).toMatch(/endorser_successful_proposals 1/);
  });
});
