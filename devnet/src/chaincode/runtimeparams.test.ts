import { EventEmitter } from 'node:events';
import { peer } from '@hyperledger/fabric-protos';
import { Handler, type ChaincodeStream } from './handler';
import type { ChaincodeMessage } from './message';
import { readyPayload, runtimeParamsFromEnv } from './runtimeparams';

const T = peer.ChaincodeMessage.Type;

/** A chaincode stream whose shim side the test plays: what the peer writes is kept. */
class FakeStream extends EventEmitter implements ChaincodeStream {
  readonly written: ChaincodeMessage[] = [];
  write(msg: ChaincodeMessage): boolean {
    this.written.push(msg);
    return true;
  }
  end(): void {
    this.emit('end');
  }
}

function register(stream: FakeStream, packageId: string): void {
  const id = new peer.ChaincodeID();
  id.setName(packageId);
  stream.emit('data', { type: T.REGISTER, payload: id.serializeBinary(), txid: '', channelId: '' });
}

describe('chaincode runtime parameters (Fabric 3.1 chaincode.runtimeParams)', () => {
  it('are off unless the environment turns a batch on, as on Fabric 2.5', () => {
    expect(runtimeParamsFromEnv({})).toBeUndefined();
    expect(runtimeParamsFromEnv({ CORE_CHAINCODE_RUNTIMEPARAMS_USEWRITEBATCH: 'false' })).toBeUndefined();
    expect(runtimeParamsFromEnv({ CORE_CHAINCODE_RUNTIMEPARAMS_MAXSIZEWRITEBATCH: '10' })).toBeUndefined();
  });

  it("take Fabric's sizes unless set", () => {
    expect(runtimeParamsFromEnv({ CORE_CHAINCODE_RUNTIMEPARAMS_USEWRITEBATCH: 'TRUE' })).toEqual({
      useWriteBatch: true,
      maxSizeWriteBatch: 1000,
      useGetMultipleKeys: false,
      maxSizeGetMultipleKeys: 1000,
    });
    expect(
      runtimeParamsFromEnv({
        CORE_CHAINCODE_RUNTIMEPARAMS_USEGETMULTIPLEKEYS: 'true',
        CORE_CHAINCODE_RUNTIMEPARAMS_MAXSIZEGETMULTIPLEKEYS: '25',
        CORE_CHAINCODE_RUNTIMEPARAMS_MAXSIZEWRITEBATCH: '7',
      }),
    ).toEqual({
      useWriteBatch: false,
      maxSizeWriteBatch: 7,
      useGetMultipleKeys: true,
      maxSizeGetMultipleKeys: 25,
    });
  });

  it('name the variable whose value is wrong', () => {
    expect(() => runtimeParamsFromEnv({ CORE_CHAINCODE_RUNTIMEPARAMS_USEWRITEBATCH: 'yes' })).toThrow(
      "CORE_CHAINCODE_RUNTIMEPARAMS_USEWRITEBATCH must be true or false, not 'yes'",
    );
    expect(() =>
      runtimeParamsFromEnv({
        CORE_CHAINCODE_RUNTIMEPARAMS_USEWRITEBATCH: 'true',
        CORE_CHAINCODE_RUNTIMEPARAMS_MAXSIZEWRITEBATCH: '0',
      }),
    ).toThrow("CORE_CHAINCODE_RUNTIMEPARAMS_MAXSIZEWRITEBATCH must be a whole number from 1, not '0'");
  });

  it('go to the chaincode in READY as ChaincodeAdditionalParams; READY is empty without them', async () => {
    const plain = new FakeStream();
    const h1 = new Handler(plain, { address: 'cc:1', totalQueryLimit: 100_000 });
    register(plain, 'cc_1:abc');
    await h1.ready;
    expect(plain.written.map((m) => [m.type, m.payload.length])).toEqual([
      [T.REGISTERED, 0],
      [T.READY, 0],
    ]);
    expect(readyPayload(undefined)).toHaveLength(0);

    const batching = new FakeStream();
    const params = {
      useWriteBatch: true,
      maxSizeWriteBatch: 50,
      useGetMultipleKeys: true,
      maxSizeGetMultipleKeys: 20,
    };
    const h2 = new Handler(batching, { address: 'cc:2', totalQueryLimit: 100_000, runtimeParams: params });
    register(batching, 'cc_1:abc');
    await h2.ready;
    const ready = batching.written.find((m) => m.type === T.READY);
    const sent = peer.ChaincodeAdditionalParams.deserializeBinary(ready?.payload ?? new Uint8Array(0));
    expect({
      useWriteBatch: sent.getUseWriteBatch(),
      maxSizeWriteBatch: sent.getMaxSizeWriteBatch(),
      useGetMultipleKeys: sent.getUseGetMultipleKeys(),
      maxSizeGetMultipleKeys: sent.getMaxSizeGetMultipleKeys(),
    }).toEqual(params);
    h1.close();
    h2.close();
  });
});
