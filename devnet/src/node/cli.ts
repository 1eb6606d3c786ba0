#!/usr/bin/env node
import * as fs from 'node:fs';
import { pushRevocationList } from './channelupdate';
import { ministryAdd, updateAnchorPeers } from './ministryadd';
import { devnetHome, loadNetwork } from './config';
import { parseDeployArgs } from './deployargs';
import { appStatus } from './apps';
import { clean, deploy, down, startChaincodeServers, status, up } from './network';
import { Progress } from './progress';

const USAGE = `usage: devnet <command>
  start    up, then deploy: what \`npm start\` runs
  up       generate the network if needed, start the orderer and the peers (and deployed chaincode servers)
  deploy   package the chaincode for each ministry, start its chaincode servers, commit its definition
           (deploy <name> <module path> [port shift, default 100]: another chaincode, servers on chaincodePort + shift)
           options as \`peer lifecycle chaincode approveformyorg/commit\`: --version V, --sequence N,
           --signature-policy P | --channel-config-policy P, --collections-config FILE, --init-required;
           --chaincode-tls=false serves another chaincode's servers in plaintext (as native.sh does on Fabric)
  down     stop every process devnet started
  status   show each process, its pid, port and health, and the applications started beside the
           network (the HTTP gateway of npm start): address, pid, up or down
  crl <MSPID> <crl.pem>
           put a ministry's CRL (from its CA's gencrl) into its MSP in the channel config (a config update
           signed by a majority of the ministries' admins); every peer then refuses the revoked certificates
  ministry-add
           after ministries were appended to the list (ministries.yaml): their crypto material, a config
           update adding them to the running channel (signed by a majority of the ministries' admins),
           their peers and CAs started, deployed chaincodes installed and approved (egov: a new sequence)
  anchor-peers <MSPID> [host:port ...]
           set a ministry's anchor peers in the channel config (default: its peers), signed by its admin
  clean    stop everything and remove the runtime directory
The runtime directory is DEVNET_HOME (default: <repo>/.devnet).`;

async function main(command: string | undefined): Promise<void> {
  const home = devnetHome();
  switch (command) {
    case 'up': {
      const progress = new Progress(3);
      await up(home, progress);
      const restarted = await progress.run('Starting deployed chaincode servers', () =>
        startChaincodeServers(home),
      );
      if (restarted.length === 0) console.log('No chaincode deployed yet: run `devnet deploy`.');
      break;
    }
    case 'start': {
      const progress = new Progress(4);
      await up(home, progress);
      await deploy(home, progress);
      break;
    }
    case 'deploy': {
      const { source, options } = parseDeployArgs(process.argv.slice(3));
      await deploy(home, undefined, source, options);
      break;
    }
    case 'down': {
      const stopped = await down(home);
      console.log(stopped.length === 0 ? 'Nothing was running.' : `Stopped ${stopped.join(', ')}.`);
      break;
    }
    case 'status':
      for (const s of await status(home)) {
        console.log(
          `${s.name.padEnd(44)} ${s.pid === undefined ? 'stopped'.padEnd(10) : `pid ${s.pid}`.padEnd(10)} port ${s.port}  ${s.healthy ? 'healthy' : 'not healthy'}`,
        );
      }
      for (const a of await appStatus(home)) {
        console.log(
          `${a.name.padEnd(44)} ${a.pid === undefined ? 'stopped'.padEnd(10) : `pid ${a.pid}`.padEnd(10)} ${a.url ?? 'address unknown'}  ${a.healthy ? 'up' : 'down'}`,
        );
      }
      break;
    case 'crl': {
      const [mspId, file] = process.argv.slice(3);
      if (mspId === undefined || file === undefined) {
        console.error('usage: devnet crl <MSPID> <crl.pem>');
        process.exitCode = 2;
        break;
      }
      const sequence = await pushRevocationList(loadNetwork(home), mspId, fs.readFileSync(file, 'utf8'));
      console.log(
        `${mspId}'s revocation list is in the channel config (sequence ${sequence}) on every peer.`,
      );
      break;
    }
    case 'ministry-add': {
      const outcome = await ministryAdd(home);
      console.log(
        outcome.joined.length === 0
          ? `Every ministry of the list is in channel ${loadNetwork(home).channel} (config sequence ${outcome.sequence}).`
          : `${outcome.joined.join(', ')} joined the channel (config sequence ${outcome.sequence}).`,
      );
      for (const cc of outcome.chaincodes)
        console.log(`${cc.name}: definition sequence ${cc.sequence}, approved by every ministry.`);
      break;
    }
    case 'anchor-peers': {
      const [mspId, ...anchors] = process.argv.slice(3);
      if (mspId === undefined) {
        console.error('usage: devnet anchor-peers <MSPID> [host:port ...]');
        process.exitCode = 2;
        break;
      }
      const r = await updateAnchorPeers(loadNetwork(home), mspId, anchors);
      const list = r.anchors.map((a) => `${a.host}:${a.port}`).join(', ') || 'none';
      console.log(
        r.changed
          ? `${mspId}'s anchor peers are ${list} in the channel config (sequence ${r.sequence}) on every peer.`
          : `${mspId}'s anchor peers were already ${list} (config sequence ${r.sequence}).`,
      );
      break;
    }
    case 'clean':
      await clean(home);
      console.log(`Stopped everything and removed ${home}.`);
      break;
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

main(process.argv[2]).catch((err: unknown) => {
  console.error(`devnet: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
