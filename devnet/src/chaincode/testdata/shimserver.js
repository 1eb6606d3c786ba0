/*
 * A tiny fabric-shim chaincode for devnet's chaincode and endorser tests, run as a real
 * ChaincodeServer in its own process (as `devnet deploy` runs chaincode): node shimserver.js <ccid> <address>.
 * Its own process also keeps fabric-shim's copy of the protos apart from the peer's (google-protobuf
 * registers message classes in one global namespace).
 */
'use strict';
process.env.CORE_CHAINCODE_LOGGING_LEVEL = process.env.CORE_CHAINCODE_LOGGING_LEVEL || 'error';
const shim = require('fabric-shim');

async function collectKeys(it) {
  const keys = [];
  for await (const kv of it) keys.push(kv.key);
  return keys;
}
const ok = (s) => shim.success(Buffer.from(s));

const functions = {
  put: async (stub, [k, v]) => (await stub.putState(k, Buffer.from(v)), ok('')),
  get: async (stub, [k]) => ok(Buffer.from(await stub.getState(k)).toString()),
  del: async (stub, [k]) => (await stub.deleteState(k), ok('')),
  range: async (stub, [start, end]) =>
    ok(JSON.stringify(await collectKeys(stub.getStateByRange(start, end)))),
  partial: async (stub, [type, ...attrs]) =>
    ok(JSON.stringify(await collectKeys(stub.getStateByPartialCompositeKey(type, attrs)))),
  count: async (stub) => ok(String((await collectKeys(stub.getStateByRange('', ''))).length)),
  readput: async (stub, [k]) => {
    const v = Buffer.from(await stub.getState(k)).toString();
    await stub.putState(k, Buffer.from(v + '+'));
    return ok(v);
  },
  event: async (stub, [name, payload]) => (stub.setEvent(name, Buffer.from(payload)), ok('evented')),
  fail: async () => shim.error('deliberate failure'),
  notfound: async () => ({ status: 404, message: 'no such record', payload: Buffer.alloc(0) }),
  rich: async (stub) => ok(JSON.stringify(await collectKeys(stub.getQueryResult('{"selector":{}}')))),
  richpage: async (stub, [size, bookmark]) => {
    const { iterator } = await stub.getQueryResultWithPagination('{"selector":{}}', Number(size), bookmark);
    return ok(JSON.stringify(await collectKeys(iterator)));
  },
  history: async (stub, [k]) => ok(JSON.stringify(await collectKeys(await stub.getHistoryForKey(k)))),
  setvp: async (stub, [k, v]) => (await stub.setStateValidationParameter(k, Buffer.from(v)), ok('')),
  getvp: async (stub, [k]) => ok(Buffer.from(await stub.getStateValidationParameter(k)).toString()),
  page: async (stub, [size, bookmark]) => {
    const { iterator, metadata } = await stub.getStateByRangeWithPagination('', '', Number(size), bookmark);
    const keys = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) keys.push(r.value.key);
    await iterator.close();
    return ok(JSON.stringify({ keys, bookmark: metadata.bookmark, count: metadata.fetchedRecordsCount }));
  },
  sleep: async (_stub, [ms]) => (await new Promise((r) => setTimeout(r, Number(ms))), ok('')),
};

const chaincode = {
  async Init() {
    return ok('init');
  },
  async Invoke(stub) {
    const { fcn, params } = stub.getFunctionAndParameters();
    const fn = functions[fcn];
    if (!fn) return shim.error(`unknown function ${fcn}`);
    try {
      return await fn(stub, params);
    } catch (err) {
      return shim.error(err.message);
    }
  },
};

const [ccid, address] = process.argv.slice(2);
shim
  .server(chaincode, { ccid, address })
  .start()
  .then(() => process.send && process.send('listening'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
