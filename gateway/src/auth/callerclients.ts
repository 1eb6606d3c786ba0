import type { ChaincodeClient, ChaincodeClients } from '../chaincode/client';
import { ChaincodeRecordsService } from '../records/chaincoderecords';
import type { RecordsService } from '../records/service';
import type { IdentityPool } from '../wallet/identities';
import { currentCaller } from './caller';

/** The client one identity transacts through. */
export interface IdentityClients {
  chaincode: ChaincodeClient;
}

/**
 * The chaincode and records clients the routes use, signing as the current request's caller
 * (see caller.ts): an authenticated principal's own identity from the pool, the gateway's own
 * identity for public routes. Outside of a request there is no caller and every call fails
 * rather than sign as someone.
 */
export class CallerClients {
  constructor(
    private readonly pool: IdentityPool<IdentityClients>,
    private readonly service: IdentityClients,
  ) {}

  /** The clients of the current caller. */
  async current(): Promise<IdentityClients> {
    const caller = currentCaller();
    if (caller === undefined) throw new Error('no authenticated caller for this call');
    return 'public' in caller ? this.service : this.pool.of(caller.principal);
  }

  /** A ChaincodeClient that signs as the caller. */
  chaincode(): ChaincodeClient {
    return {
      evaluate: async (transaction, args, shape) =>
        (await this.current()).chaincode.evaluate(transaction, args, shape),
      submit: async (transaction, args, transient, shape, endorsingOrganizations) =>
        (await this.current()).chaincode.submit(transaction, args, transient, shape, endorsingOrganizations),
    };
  }

  /** A RecordsService that signs as the caller. */
  records(): RecordsService {
    return new ChaincodeRecordsService(this.chaincode());
  }

  /** Both route client sets: `user` as the caller; `admin` (admin routes) as the caller too. */
  clients(): ChaincodeClients {
    const client = this.chaincode();
    return { user: client, admin: client };
  }
}
