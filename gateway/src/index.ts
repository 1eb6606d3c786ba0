/**
 * govfabric's HTTP gateway: JSON over HTTP in front of a Fabric peer's Gateway service, through
 * @hyperledger/fabric-gateway.
 */
export { createApp, type AppOptions } from './app';
export { startServer, type RunningGateway } from './start';
export { loadConfig, ConfigError, type GatewayConfig } from './config';
export { ApiError, ErrorCodes, type ErrorBody, type ErrorCode } from './errors';
export { toApiError } from './errorhandler';
export { fabricErrorToApiError, findChaincodeFailure, validationCodeName } from './fabric/errors';
export { loadConnectionProfile, parseConnectionProfile, type ConnectionProfile } from './fabric/profile';
export { connectGateway, newGrpcClient, waitForPeer, Deadlines } from './fabric/connection';
export { newIdentity, newSigner } from './fabric/identity';
export { chaincodeCheck, peerConnectionCheck } from './fabric/health';
export { type HealthCheck, type HealthOptions } from './routes/health';
export { type RecordsService, type RegisteredRecord, type HashVerification } from './records/service';
export { ChaincodeRecordsService } from './records/chaincoderecords';
export {
  registerRecordSchema,
  recordHashSchema,
  recordIdSchema,
  type RegisterRecordRequest,
} from './records/schema';
export {
  type ChaincodeClient,
  type ChaincodeClients,
  type SubmitResult,
  type TransientFields,
  type ResultShape,
  LEDGER_CONTRACT,
} from './chaincode/client';
export { FabricChaincodeClient, type GatewayContract } from './fabric/chaincodeclient';
export { transientEndorsingOrgs, loadTransientEndorsers } from './fabric/endorsers';
export { requireAdmin, type AdminAuthOptions } from './admin';
export {
  bootstrapDemo,
  bootstrapMinistry,
  loadDemoData,
  loadBootstrapNetwork,
  type BootstrapNetwork,
  type DemoData,
} from './bootstrap';
export { authenticate, isPublicRoute, type AuthenticateOptions } from './auth/authenticate';
export { JwtAuthenticator, type OidcOptions } from './auth/jwt';
export { ApiKeyAuthenticator, createApiKey, readApiKeyFile } from './auth/apikeys';
export { CallerClients, type IdentityClients } from './auth/callerclients';
export { DEV_AUDIENCE, DEV_ISSUER, ensureDevIssuer, mintDevToken } from './auth/devissuer';
export { type Principal } from './auth/principal';
export { FileWallet, type WalletIdentity } from './wallet/wallet';
export { IdentityPool } from './wallet/identities';
export { CaEnroller, type CaSettings } from './wallet/enroller';
