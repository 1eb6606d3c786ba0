// devnet's layering (devnet/DESIGN.md, "Layers"), checked by dependency-cruiser in `npm run lint`
// and `npm test`. Each folder is named after the Fabric package it stands for; these rules keep the
// imports pointing the way Fabric's do: process entry points on top, the peer's services in the
// middle, protos, identities and policies at the bottom.
'use strict';

const SRC = '^devnet/src/';
const TESTS = '\\.test\\.ts$';
/** Code that only tests may import. */
const TEST_SUPPORT = '(/testing/|/testing\\.ts$|/testkit\\.ts$|\\.test\\.ts$)';

/** A rule that keeps `from` folders from importing the `to` folders (folders under devnet/src). */
function forbid(name, comment, from, to) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: `${SRC}(${from.join('|')})/`, pathNot: TESTS },
    to: { path: `${SRC}(${to.join('|')})/` },
  };
}

/** Every top-level folder of devnet/src. */
const FOLDERS = [
  'aclmgmt',
  'ca',
  'chaincode',
  'channelconfig',
  'committer',
  'common',
  'configtx',
  'discovery',
  'endorser',
  'gateway',
  'ledger',
  'lifecycle',
  'metrics',
  'msp',
  'node',
  'orderer',
  'peer',
  'peercli',
  'policies',
  'privdata',
  'protoutil',
  'scc',
  'transientstore',
  'validator',
];
/** Every folder but `excluded`. */
const allBut = (...excluded) => FOLDERS.filter((f) => !excluded.includes(f));

const PEER_SERVICES = [
  'aclmgmt',
  'chaincode',
  'committer',
  'discovery',
  'endorser',
  'gateway',
  'ledger',
  'lifecycle',
  'privdata',
  'scc',
  'transientstore',
  'validator',
];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules form no import cycle (type-only imports included: a cycle of types is a tangle too).',
      severity: 'error',
      from: { path: SRC, pathNot: TESTS },
      to: { circular: true },
    },
    forbid(
      'node-is-the-top',
      'node/ holds the process entry points and the CLI (cmd/, internal/peer/node): nothing below imports it.',
      allBut('node'),
      ['node'],
    ),
    forbid(
      'peer-assembled-by-node-only',
      'peer/ assembles a channel (core/peer); only the process entry points start one.',
      allBut('node', 'peer'),
      ['peer'],
    ),
    forbid(
      'peercli-is-a-client',
      "peercli/ is the peer CLI's client side (internal/peer): no server module depends on it.",
      allBut('node', 'peercli'),
      ['peercli'],
    ),
    forbid(
      'orderer-knows-no-peer',
      "The orderer orders and delivers; it never uses a peer's services.",
      ['orderer'],
      [...PEER_SERVICES.filter((m) => m !== 'ledger'), 'ledger/(statedb|txmgr|history|pvtdatastorage)'],
    ),
    forbid(
      'ca-stands-alone',
      "Fabric CA is a project of its own: devnet's CA shares only logging and gRPC/TLS helpers.",
      ['ca'],
      [...PEER_SERVICES, 'channelconfig', 'configtx', 'orderer', 'policies'],
    ),
    forbid(
      'foundations-look-down',
      'protoutil, msp, policies and channelconfig are the bottom layers: they use no ledger or service.',
      ['protoutil', 'msp', 'policies', 'channelconfig', 'configtx'],
      [...PEER_SERVICES, 'orderer', 'ca', 'metrics'],
    ),
    forbid(
      'protoutil-is-the-floor',
      'protoutil builds and parses protos; it imports no other devnet module but logging.',
      ['protoutil'],
      ['msp', 'policies', 'channelconfig', 'configtx', 'common/(deliver|grpc)'],
    ),
    forbid(
      'ledger-below-services',
      "The ledger (blockstore, statedb, txmgr, history, private data store) serves the peer's services and uses none of them.",
      ['ledger'],
      [...PEER_SERVICES.filter((m) => m !== 'ledger'), 'orderer', 'ca'],
    ),
    {
      name: 'no-test-support-in-production',
      comment: 'Test kits and test files are for tests only.',
      severity: 'error',
      from: { path: SRC, pathNot: TEST_SUPPORT },
      to: { path: TEST_SUPPORT },
    },
    {
      name: 'no-dev-dependencies-in-production',
      comment: 'What devnet runs must come from its dependencies, not devDependencies.',
      severity: 'error',
      from: { path: SRC, pathNot: TEST_SUPPORT },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    combinedDependencies: true,
  },
};
