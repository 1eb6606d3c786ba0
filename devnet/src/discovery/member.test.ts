import { gossip } from '@hyperledger/fabric-protos';
import { pkiIdOf, selfMember, verifiedMember } from './member';
import { testChannel, type TestChannel } from './testkit';

let ch: TestChannel;
beforeAll(async () => {
  ch = await testChannel(2);
}, 60_000);

const state = {
  endpoint: 'peer0.a:7051',
  incNum: 1,
  seqNum: 2,
  channel: { id: 'ch', ledgerHeight: 9, chaincodes: [{ name: 'cc', version: '3' }] },
};
const deserialize = (id: Uint8Array) => ch.bundle.msps.deserializeIdentity(id);

describe("a peer's membership envelopes (devnet's stand-in for gossip)", () => {
  it('carries the endpoint, height and chaincodes in alive and state info messages it signed', () => {
    const me = selfMember(ch.orgs[0].peer, state);
    const read = verifiedMember(me, 'ch', deserialize);
    expect(read).toMatchObject({
      mspId: 'AMSP',
      endpoint: 'peer0.a:7051',
      ledgerHeight: 9,
      chaincodes: [{ name: 'cc', version: '3' }],
    });
    expect(read.pkiId.equals(pkiIdOf(ch.orgs[0].peer.serialize()))).toBe(true);
    const alive = gossip.GossipMessage.deserializeBinary(me.alive.getPayload_asU8()).getAliveMsg()!;
    expect(alive.getTimestamp()!.getIncNum()).toBe(1);
  });

  it('refuses envelopes another peer signed, or state info of another channel', () => {
    const me = selfMember(ch.orgs[0].peer, state);
    const other = selfMember(ch.orgs[1].peer, state);
    expect(() => verifiedMember({ ...me, stateInfo: other.stateInfo }, 'ch', deserialize)).toThrow(
      /^the state info message is not signed by the peer's identity$/,
    );
    expect(() => verifiedMember({ ...me, alive: other.alive }, 'ch', deserialize)).toThrow(
      /^the alive message is not signed by the peer's identity$/,
    );
    expect(() => verifiedMember(me, 'other', deserialize)).toThrow(
      /^the state info is not for channel other$/,
    );
  });
});
