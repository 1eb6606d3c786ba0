import { chaincodeServerEnv } from './chaincodeenv';

describe('chaincodeServerEnv', () => {
  it("gives a chaincode server what a Fabric peer gives its chaincode, with the org's MSP id", () => {
    const env = chaincodeServerEnv({ packageId: 'cc_1:ab', mspId: 'HealthMSP', address: '127.0.0.1:9052' });
    expect(env).toMatchObject({
      CORE_PEER_LOCALMSPID: 'HealthMSP',
      CORE_CHAINCODE_ID_NAME: 'cc_1:ab',
      CORE_PEER_TLS_ENABLED: 'true',
      CORE_CHAINCODE_LOGGING_LEVEL: 'info',
      CORE_CHAINCODE_LOGGING_SHIM: 'warning',
      CHAINCODE_SERVER_ADDRESS: '127.0.0.1:9052',
      CHAINCODE_ID: 'cc_1:ab',
    });
  });

  it('tells a plaintext server that TLS is off', () => {
    const env = chaincodeServerEnv({ packageId: 'cc_1:ab', mspId: 'HealthMSP', address: 'a:1', tls: false });
    expect(env.CORE_PEER_TLS_ENABLED).toBe('false');
  });
});
