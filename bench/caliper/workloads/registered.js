'use strict';
// Hashes of the records this worker process registered in the register-record round, for the
// verify-by-hash round (Caliper keeps a worker's process across rounds).
module.exports = [];
