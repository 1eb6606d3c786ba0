/**
 * Test-only: import first in a suite to keep fabric-contract-api / fabric-shim's winston loggers at
 * error level (they read CORE_CHAINCODE_LOGGING_LEVEL when a logger is created, at module load).
 */
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'ERROR';
export {};
