// The order in which `npm test` (scripts/test.js) runs the integration and conformance suites on one
// devnet: first every suite not named here, side by side in several jest workers; then SECOND, side
// by side with each other; then ALONE, one at a time. Suites run side by side when none disturbs the
// network the others use and none asserts a figure that the others' transactions change; all of them
// use ids, keys and gateway ports of their own. A new suite that cannot say so belongs in ALONE.
'use strict';

/**
 * Each clashes with a suite of the first batch, not with each other: after the first batch. The
 * reason names the clash.
 */
const SECOND = {
  'test/integration/audit.test.ts':
    "counts Education's audit cases in a time window (currency.test.ts opens one)",
  'test/integration/currency-http.test.ts':
    'asserts treasury balances and the minted total, as currency.test.ts does',
  'test/integration/officers.test.ts':
    "enrolls at Education's CA, which ca.test.ts restarts; puts a CRL in the config (as revocation.test.ts)",
  'test/conformance/lifecycle.test.ts':
    'upgrades the conformance chaincode: what others endorsed before becomes MVCC_READ_CONFLICT',
};

/** Each disturbs the network or counts its blocks or transactions: one at a time, last. */
const ALONE = {
  'test/integration/restart.test.ts': 'stops and starts every node',
  'test/conformance/crash.test.ts': 'kills the orderer and a peer with SIGKILL',
  'test/integration/gateway-readiness.test.ts': "stops Immigration's peer",
  'test/fuzz/fuzz.test.ts': 'counts every valid transaction in the blocks of its run',
  'test/conformance/privatedata-expiry.test.ts': 'counts blocks until block-to-live purges its value',
  'test/conformance/deliverpvt-expiry.test.ts': 'reads private data that expires 3 blocks later',
  'test/conformance/broadcastack.test.ts':
    "sets the channel's BatchTimeout to ten minutes by a config update: others' blocks wait, others' config updates clash",
  'test/conformance/revocation.test.ts':
    "enrolls at Education's CA (ca.test.ts restarts it); puts a CRL in the config (as officers.test.ts)",
};

/** A jest path pattern (regular expression) matching exactly these suite files. */
function pattern(paths) {
  const escaped = paths.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `/(${escaped.join('|')})$`;
}

module.exports = { SECOND, ALONE, pattern };
