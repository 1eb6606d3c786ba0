import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.devnet/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // the verification page's scripts run in the browser, as ES modules
    files: ['gateway/verify-page/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser } },
  },
  {
    // Code that runs in the orderer and peer processes: network-config's index loads the crypto
    // generators, ASN.1 libraries, YAML and zod (about 300 modules, 5 MB of heap) into every node.
    files: ['devnet/src/**/*.ts'],
    ignores: [
      'devnet/src/node/**',
      'devnet/src/ca/**',
      'devnet/src/peercli/**',
      '**/*.test.ts',
      '**/testing/**',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@govfabric/network-config',
              allowTypeImports: true,
              message:
                "import values from the module that defines them (e.g. '@govfabric/network-config/dist/types')",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', '**/testing/**/*.ts'],
    languageOptions: { globals: { ...globals.jest } },
  },
);
