import { ChaincodeClient, ChaincodeClients } from '../chaincode/client';
import { ApiError } from '../errors';

/**
 * The admin identity's client; a clear 403 when the gateway runs without one (the admin token
 * check passed but no admin profile was loaded).
 */
export function adminClient(clients: ChaincodeClients): ChaincodeClient {
  if (!clients.admin) {
    throw new ApiError(
      'FORBIDDEN',
      'admin routes are disabled: this gateway has no admin identity (GATEWAY_ADMIN_PROFILE, default <profiles>/<MSPID>-admin.json)',
    );
  }
  return clients.admin;
}
