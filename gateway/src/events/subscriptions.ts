import { checkpointers, type Checkpointer } from '@hyperledger/fabric-gateway';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { ApiError } from '../errors';

/** A durable subscription's name: what its checkpoint file is called. */
export const SUBSCRIPTION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** An open subscription's checkpoint; `release` lets another stream take the name. */
export interface HeldCheckpoint {
  checkpointer: Checkpointer;
  release(): void;
}

/** Where durable subscriptions keep their checkpoints; the Fabric-free part of the event streams. */
export interface CheckpointStore {
  /** The subscription's checkpoint, held until released; 409 while another stream holds it. */
  hold(name: string): Promise<HeldCheckpoint>;
}

/**
 * {@link CheckpointStore} of fabric-gateway file checkpointers, one JSON file per subscription in
 * `dir` (`{"blockNumber":"12","transactionId":"..."}`), so a subscription resumes where it stopped
 * after the client or the gateway restarts.
 */
export class FileCheckpointStore implements CheckpointStore {
  private readonly held = new Set<string>();

  constructor(private readonly dir: string) {}

  async hold(name: string): Promise<HeldCheckpoint> {
    if (!SUBSCRIPTION_NAME.test(name)) {
      throw new ApiError('VALIDATION_FAILED', `invalid subscription name: ${SUBSCRIPTION_NAME.source}`);
    }
    if (this.held.has(name)) {
      throw new ApiError('SUBSCRIPTION_IN_USE', `subscription ${name} is streaming to another client`);
    }
    this.held.add(name);
    try {
      await mkdir(this.dir, { recursive: true });
      const checkpointer = await checkpointers.file(path.join(this.dir, `${name}.json`));
      return { checkpointer, release: () => this.held.delete(name) };
    } catch (err) {
      this.held.delete(name);
      throw err;
    }
  }
}
