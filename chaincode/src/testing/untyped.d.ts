/** fabric-shim's contract dispatcher has no typings; tests drive it the way the shim does. */
declare module 'fabric-shim/lib/contract-spi/chaincodefromcontract' {
  import type { ChaincodeResponse } from 'fabric-shim';
  class ChaincodeFromContract {
    constructor(contracts: unknown[], serializers: unknown, metadata: object, title: string, version: string);
    Invoke(stub: unknown): Promise<ChaincodeResponse>;
  }
  export = ChaincodeFromContract;
}
