import * as grpc from '@grpc/grpc-js';
import { peer } from '@hyperledger/fabric-protos';
import { registerEndorserService } from './endorserservice';

describe('registerEndorserService', () => {
  let server: grpc.Server;
  let client: peer.EndorserClient;

  async function start(
    processProposal: (sp: peer.SignedProposal) => Promise<peer.ProposalResponse>,
  ): Promise<void> {
    server = new grpc.Server();
    registerEndorserService(server, { processProposal });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    client = new peer.EndorserClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }

  afterEach(() => {
    client.close();
    server.forceShutdown();
  });

  function call(sp: peer.SignedProposal): Promise<peer.ProposalResponse> {
    return new Promise((resolve, reject) =>
      client.processProposal(sp, (err, res) => (err ? reject(err) : resolve(res!))),
    );
  }

  it('returns the endorser response, including chaincode failures as status 500 responses', async () => {
    let received: Uint8Array | undefined;
    await start(async (sp) => {
      received = sp.getProposalBytes_asU8();
      const r = new peer.ProposalResponse();
      const resp = new peer.Response();
      resp.setStatus(500);
      resp.setMessage('transaction returned with failure: record R1 does not exist');
      r.setResponse(resp);
      return r;
    });
    const sp = new peer.SignedProposal();
    sp.setProposalBytes(Buffer.from('proposal'));
    const res = await call(sp);
    expect(Buffer.from(received!).toString()).toBe('proposal');
    expect(res.getResponse()!.getStatus()).toBe(500);
    expect(res.getResponse()!.getMessage()).toMatch(/R1 does not exist/);
  });

  it('turns a rejected proposal into a gRPC error carrying the reason, as grpc-go sends a returned error', async () => {
    await start(() =>
      Promise.reject(new Error('access denied: channel [egov] creator org unknown, creator is malformed')),
    );
    await expect(call(new peer.SignedProposal())).rejects.toMatchObject({
      code: grpc.status.UNKNOWN,
      details: 'access denied: channel [egov] creator org unknown, creator is malformed',
    });
  });
});
