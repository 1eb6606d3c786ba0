import { EndorseError } from '@hyperledger/fabric-gateway';
import pino from 'pino';
import { FabricChaincodeClient } from '../../gateway/src/fabric/chaincodeclient';
import { fabricErrorToApiError } from '../../gateway/src/fabric/errors';
import { runWithContext, type RequestContext } from '../../gateway/src/ops/context';
import { conformanceNetwork, type GatewayConnection } from './support';

// The HTTP gateway's service layer (FabricChaincodeClient) against the gateway errors real peers give:
// a transaction whose endorsers disagree (one succeeds, the others refuse: what a peer a block behind
// answers for a record it has not seen yet) is tried again as a new transaction; one every endorser
// refuses is not. The conformance chaincode's FailUnlessMsp splits its endorsers by their MSP, so the
// disagreement here lasts and the retries run out.
describe("the gateway's service layer retries endorsers that disagreed", () => {
  const c = conformanceNetwork();
  const [A, B] = c.mspIds;
  let gw: GatewayConnection;
  const quiet = pino({ level: 'silent' });

  beforeAll(() => {
    gw = c.gateway(A);
  });
  afterAll(() => gw.close());

  /**
   * Submits through a FabricChaincodeClient (two retries unless `retries` says) in a request context,
   * endorsed by `endorsers` when named; the outcome and the attempts counted.
   */
  async function submit(transaction: string, args: string[], retries = 2, endorsers?: string[]) {
    const client = new FabricChaincodeClient(c.contract(gw), quiet, [], { retries, backoffMs: 5 });
    const context: RequestContext = { requestId: transaction };
    const outcome = await runWithContext(context, () =>
      client.submit(transaction, args, undefined, undefined, endorsers).catch((err: unknown) => err),
    );
    return { outcome, attempts: context.attempts };
  }

  it('tries again when one endorser succeeded and the others refused, and reports the refusal at the end', async () => {
    const { outcome, attempts } = await submit('FailUnlessMsp', [A, 'not on this peer']);
    expect(outcome).toBeInstanceOf(EndorseError);
    expect((outcome as EndorseError).details.map((d) => d.message).join('\n')).toContain('not on this peer');
    expect(attempts).toBe(3);
  });

  it('tries again when the endorsers returned different results, then answers 502 naming it', async () => {
    const { outcome, attempts } = await submit('MspID', [], 1, [A, B]);
    expect(attempts).toBe(2);
    const mapped = fabricErrorToApiError(outcome);
    expect([mapped?.status, mapped?.code]).toEqual([502, 'FABRIC_ERROR']);
    expect(mapped?.message).toContain('returned different results');
  });

  it('does not try again when every endorser refused', async () => {
    const { outcome, attempts } = await submit('Fail', ['refused everywhere']);
    expect(outcome).toBeInstanceOf(EndorseError);
    expect(attempts).toBe(1);
  });
});
