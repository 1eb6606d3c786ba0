import { common } from '@hyperledger/fabric-protos';
import { blockHeaderHash } from '../protoutil';
import {
  endorsedTx,
  newTestChannel,
  newTestOrg,
  TestChannel,
  testBlock,
  testGenesisBlock,
} from '../validator/testing';
import { BLOCK_VALIDATION_POLICY, BlockVerificationError, BlockVerifier } from './blockverifier';

let ch: TestChannel;
let genesis: common.Block;
beforeAll(async () => {
  ch = await newTestChannel('egov', ['ImmigrationMSP', 'EducationMSP', 'HealthMSP']);
  genesis = testGenesisBlock(ch);
  // Key and certificate generation for three orgs: slow on a loaded machine, so no 5 s hook limit.
}, 60_000);

function verifier(): BlockVerifier {
  return new BlockVerifier('egov', genesis.getHeader()!, () =>
    ch.policies.getPolicy(BLOCK_VALIDATION_POLICY),
  );
}

function block1(): common.Block {
  const [a, b] = ch.orgs;
  const tx = endorsedTx('egov', a.member, [a.member, b.member], { writes: { k: 'v' } }).envelope;
  return testBlock(1, blockHeaderHash(genesis.getHeader()!), [tx], ch.orderer.member);
}

describe('BlockVerifier', () => {
  it('accepts a block that follows the last one and carries the orderer signature', () => {
    const v = verifier();
    expect(() => v.verifyBlock(block1())).not.toThrow();
  });

  it('refuses a block whose data hash does not match its data', () => {
    const b = block1();
    const hash = Uint8Array.from(b.getHeader()!.getDataHash_asU8());
    hash[0] ^= 0xff;
    b.getHeader()!.setDataHash(hash);
    expect(() => verifier().verifyBlock(b)).toThrow(/Header.DataHash is different from Hash\(block.Data\)/);
  });

  it('refuses a block whose data was changed after signing', () => {
    const b = block1();
    const [a, c] = ch.orgs;
    const other = endorsedTx('egov', a.member, [a.member, c.member]).envelope.serializeBinary();
    b.getData()!.setDataList([other]);
    expect(() => verifier().verifyBlock(b)).toThrow(BlockVerificationError);
  });

  it('refuses a block that does not chain to the last header', () => {
    const b = testBlock(1, new Uint8Array(32), [], ch.orderer.member);
    expect(() => verifier().verifyBlock(b)).toThrow(/PreviousHash of block \[1\]/);
  });

  it('refuses a block out of sequence', () => {
    const b = testBlock(2, blockHeaderHash(genesis.getHeader()!), [], ch.orderer.member);
    expect(() => verifier().verifyBlock(b)).toThrow(
      /expected block number is \[1\] but actual block number inside block is \[2\]/,
    );
  });

  it('refuses an empty block', () => {
    const b = testBlock(1, blockHeaderHash(genesis.getHeader()!), [], ch.orderer.member);
    expect(() => verifier().verifyBlock(b)).toThrow(/empty block/);
  });

  it('refuses a block signed by someone who is not an orderer writer', async () => {
    const [a, b] = ch.orgs;
    const tx = endorsedTx('egov', a.member, [a.member, b.member]).envelope;
    const forged = testBlock(1, blockHeaderHash(genesis.getHeader()!), [tx], a.member);
    expect(() => verifier().verifyBlock(forged)).toThrow(/signature verification failed/);
    const stranger = await newTestOrg('OrdererMSP');
    const foreign = testBlock(1, blockHeaderHash(genesis.getHeader()!), [tx], stranger.member);
    expect(() => verifier().verifyBlock(foreign)).toThrow(BlockVerificationError);
  });

  it('moves on to the next block after a successful verification', () => {
    const v = verifier();
    const b1 = block1();
    v.verifyBlock(b1);
    const [a, b] = ch.orgs;
    const tx = endorsedTx('egov', a.member, [a.member, b.member]).envelope;
    expect(() =>
      v.verifyBlock(testBlock(2, blockHeaderHash(b1.getHeader()!), [tx], ch.orderer.member)),
    ).not.toThrow();
    expect(() => v.verifyBlock(b1)).toThrow(/expected block number is \[3\]/);
  });
});
