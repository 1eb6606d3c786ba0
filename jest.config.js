/** Unit tests live beside the code (src/**\/*.test.ts); integration and conformance tests in test/. */
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }];
const moduleNameMapper = {
  '^@govfabric/network-config$': '<rootDir>/network-config/src',
  '^@govfabric/devnet/(.*)$': '<rootDir>/devnet/src/$1',
  // The gateway imports the chaincode's vocabulary from its build; tests read the sources.
  '^egov/dist/(.*)$': '<rootDir>/chaincode/src/$1',
};
module.exports = {
  // Jest reads testTimeout from the global configuration only (a project's own is ignored).
  // Generous for unit tests: on a loaded 2-core machine key generation and scrypt in setup hooks
  // took over 5 s. Integration tests set their own (test/setup.ts).
  testTimeout: 30_000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      moduleNameMapper,
      testMatch: ['<rootDir>/{network-config,devnet,chaincode,gateway}/src/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/unitSetup.ts'],
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      moduleNameMapper,
      testMatch: ['<rootDir>/test/{integration,conformance,fuzz}/**/*.test.ts'],
      globalSetup: '<rootDir>/test/globalSetup.ts',
      globalTeardown: '<rootDir>/test/globalTeardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
    },
  ],
};
