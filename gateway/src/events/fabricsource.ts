import type { CloseableAsyncIterable, Contract, Network } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import type { BlockSource } from './stream';

/**
 * {@link BlockSource} of a Fabric channel through fabric-gateway: full blocks from the peer's
 * Deliver service (the chaincode event payloads are in them), the height from `qscc` GetChainInfo.
 */
export class FabricBlockSource implements BlockSource {
  constructor(
    private readonly network: Pick<Network, 'getBlockEvents' | 'getName'>,
    private readonly qscc: Pick<Contract, 'evaluateTransaction'>,
  ) {}

  blocks(startBlock?: bigint): Promise<CloseableAsyncIterable<common.Block>> {
    return this.network.getBlockEvents(startBlock === undefined ? {} : { startBlock });
  }

  async height(): Promise<bigint> {
    const info = common.BlockchainInfo.deserializeBinary(
      await this.qscc.evaluateTransaction('GetChainInfo', this.network.getName()),
    );
    return BigInt(info.getHeight());
  }
}
