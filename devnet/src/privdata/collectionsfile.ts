import * as fs from 'node:fs';
import * as path from 'node:path';
import { CollectionConfigJson, parseCollectionsConfig } from './collections';

/** The file a chaincode folder may carry with its collections, in the peer CLI's JSON format. */
export const COLLECTIONS_CONFIG_FILE = 'collections_config.json';

/**
 * Reads `<chaincode folder>/collections_config.json` if present (as `peer lifecycle chaincode approveformyorg
 * --collections-config` would), checks it, and returns the entries for the chaincode definition;
 * undefined when the file does not exist. Throws naming the file and what is wrong with it.
 */
export function readCollectionsConfig(chaincodeFolder: string): CollectionConfigJson[] | undefined {
  const file = path.join(chaincodeFolder, COLLECTIONS_CONFIG_FILE);
  return fs.existsSync(file) ? readCollectionsConfigFile(file) : undefined;
}

/**
 * Reads and checks a collections config file in the peer CLI's JSON format (`--collections-config`);
 * throws naming the file and what is wrong with it (also when it does not exist).
 */
export function readCollectionsConfigFile(file: string): CollectionConfigJson[] {
  if (!fs.existsSync(file)) throw new Error(`collections config ${file} does not exist`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  try {
    parseCollectionsConfig(json);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  return json as CollectionConfigJson[];
}
