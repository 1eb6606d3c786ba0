/** What a chaincode server devnet starts is serving: which package, for which org's peer. */
export interface ChaincodeServerIdentity {
  /** The package id the server registers with (`<label>:<hash>`). */
  packageId: string;
  /** The MSP id of the org whose peer the server serves. */
  mspId: string;
  /** host:port the server listens on. */
  address: string;
  /** Whether the peer dials it over TLS (connection.json tls_required); default true. */
  tls?: boolean;
}

// Fabric's sampleconfig/core.yaml `chaincode.logging`, which a peer passes on as it is.
const LOGGING_LEVEL = 'info';
const SHIM_LOGGING_LEVEL = 'warning';
const LOGGING_FORMAT =
  '%{color}%{time:2006-01-02 15:04:05.000 MST} [%{module}] %{shortfunc} -> %{level:.4s} %{id:03x}%{color:reset} %{message}';

/**
 * The environment a Fabric peer gives the chaincode it launches (core/container/dockercontroller
 * GetEnv and the peer's chaincode LoggingEnv): CORE_CHAINCODE_ID_NAME, CORE_PEER_LOCALMSPID (read by
 * fabric-shim's `stub.getMspID()`), CORE_PEER_TLS_ENABLED and the chaincode logging settings. For a
 * chaincode as a service the operator sets these, with CHAINCODE_SERVER_ADDRESS and CHAINCODE_ID as
 * fabric-samples' ccaas servers are given; devnet is that operator for the servers it starts.
 */
export function chaincodeServerEnv(s: ChaincodeServerIdentity): Record<string, string> {
  return {
    CORE_CHAINCODE_ID_NAME: s.packageId,
    CORE_PEER_LOCALMSPID: s.mspId,
    // Whether the peer dials the server over TLS (connection.json tls_required).
    CORE_PEER_TLS_ENABLED: String(s.tls ?? true),
    CORE_CHAINCODE_LOGGING_LEVEL: LOGGING_LEVEL,
    CORE_CHAINCODE_LOGGING_SHIM: SHIM_LOGGING_LEVEL,
    CORE_CHAINCODE_LOGGING_FORMAT: LOGGING_FORMAT,
    CHAINCODE_SERVER_ADDRESS: s.address,
    CHAINCODE_ID: s.packageId,
  };
}
