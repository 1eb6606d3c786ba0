#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
#
# govfabric on Hyperledger Fabric's own release binaries, without Docker: 3 Raft orderers and one
# peer per ministry, each in a network namespace of its own (a host with its own private address on
# a bridge this script creates), the channel joined with osnadmin, egov deployed as chaincode as a
# service with the peer CLI's lifecycle, and the HTTP gateway. Everything comes from
# network-config/ministries.yaml through network-config's Fabric generator.
#
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
. "$SCRIPT_DIR/lib/common.sh"
# shellcheck source=lib/lifecycle.sh
. "$SCRIPT_DIR/lib/lifecycle.sh"

usage() {
  cat <<EOF
Usage: $(basename "$0") <command> [arguments]

Commands:
  up                      generate, start the network, create and join the channel, deploy egov,
                          start the HTTP gateway (127.0.0.1:\$GATEWAY_PORT)
  deploy <name> <folder> [port] [version] [signature policy]
                          deploy a Node chaincode folder as a service (servers on <port> in each
                          peer's namespace, default 9999; collections: for egov network-config's
                          collections/egov.json, else the folder's collections_config.json if present;
                          endorsement policy: the signature policy given, else the channel's)
  gateway                 (re)start the HTTP gateway
  ministry-add            after ministries were appended to the list: their crypto material, a config
                          update adding each to the running channel (signed by a majority of the member
                          ministries' admins), their peers started and joined, egov defined at a new
                          sequence and every other chaincode deployed here installed and approved by them
  status                  each node: namespace, address, pid, health; the Raft leader
  leader                  print the name of the orderer leading the channel's Raft cluster
  stop <node>             kill -9 one node (e.g. orderer2.egov.local), keeping its ledger
  start <node>            start a stopped node again
  down                    stop every process, delete the namespaces, veth pairs and the bridge, and
                          remove the runtime files (logs are kept in \$GOVFABRIC_FABRIC_HOME/logs)

Environment:
  FABRIC_BIN              (required) folder with Fabric's peer, orderer, osnadmin, configtxgen, cryptogen
  FABRIC_CFG              folder with Fabric's core.yaml and orderer.yaml (default \$FABRIC_BIN/../config)
  CCAAS_BUILDER           the ccaas external builder (default \$FABRIC_BIN/../builders/ccaas)
  GOVFABRIC_FABRIC_HOME   runtime folder (default <repo>/.fabric)
  GOVFABRIC_MINISTRIES    list of ministries (default network-config/ministries.yaml)
  GOVFABRIC_FABRIC_SUBNET private /24 of the namespaces (default 10.117.0; the bridge is .1)
  GOVFABRIC_NETNS_PREFIX  prefix of namespace and link names (default gf)
  GOVFABRIC_FABRIC_ORDERERS  Raft consenters (default 3; the benchmark uses 1, as devnet has one orderer)
  FABRIC_VERSION          the binaries' version (e.g. 2.5.16) when \`peer version\` does not say it (a build
                          without the release's -ldflags says "latest"); recorded as fabric.version of network.json
  GATEWAY_PORT            HTTP gateway port on 127.0.0.1 (default 3000)

Needs root (ip netns), ip (iproute2), curl, jq, node; run 'npm ci && npm run build' first.
The test descriptor for GOVFABRIC_FABRIC_NETWORK is \$GOVFABRIC_FABRIC_HOME/network.json.
EOF
}

FABRIC_HOME_DIR="${GOVFABRIC_FABRIC_HOME:-$GOVFABRIC_REPO/.fabric}"
SUBNET="${GOVFABRIC_FABRIC_SUBNET:-10.117.0}"
PREFIX="${GOVFABRIC_NETNS_PREFIX:-gf}"
BRIDGE="${PREFIX}br0"
GATEWAY_PORT="${GATEWAY_PORT:-3000}"
NODES_LIST="$FABRIC_HOME_DIR/nodes.list"
NET_HOME="$FABRIC_HOME_DIR"
CHANNEL=""
CHAINCODE=""
CHAINCODE_VERSION=""

# ---------------------------------------------------------------------------------------------
# Prerequisites and settings

check_prereqs() {
  [[ $EUID -eq 0 ]] || fatalln "network namespaces need root (CAP_NET_ADMIN and CAP_SYS_ADMIN): run with sudo"
  require_cmd ip "Install iproute2 (apt-get install iproute2)."
  require_cmd curl "Install curl."
  require_cmd jq "Install jq (apt-get install jq)."
  require_cmd node "Install Node.js 20.9 or newer."
  require_fabric_bin peer orderer osnadmin configtxgen cryptogen
  FABRIC_CFG="${FABRIC_CFG:-$FABRIC_BIN/../config}"
  [[ -f "$FABRIC_CFG/core.yaml" && -f "$FABRIC_CFG/orderer.yaml" ]] ||
    fatalln "FABRIC_CFG=$FABRIC_CFG has no core.yaml and orderer.yaml (a Fabric release's config/ folder)"
  FABRIC_CFG="$(cd "$FABRIC_CFG" && pwd)"
  PEER_CLI_CFG="$FABRIC_CFG"
  CCAAS_BUILDER="${CCAAS_BUILDER:-$FABRIC_BIN/../builders/ccaas}"
  local b
  for b in detect build release; do
    [[ -x "$CCAAS_BUILDER/bin/$b" ]] ||
      fatalln "CCAAS_BUILDER=$CCAAS_BUILDER has no bin/$b (a Fabric release's builders/ccaas folder)"
  done
  CCAAS_BUILDER="$(cd "$CCAAS_BUILDER" && pwd)"
  require_built
}

# Reads channel and chaincode from the generated test descriptor.
load_descriptor() {
  [[ -f "$FABRIC_HOME_DIR/network.json" ]] || fatalln "no network in $FABRIC_HOME_DIR: run '$(basename "$0") up' first"
  CHANNEL="$(jq -r .channel "$FABRIC_HOME_DIR/network.json")"
  CHAINCODE="$(jq -r .chaincode.name "$FABRIC_HOME_DIR/network.json")"
  CHAINCODE_VERSION="$(jq -r .chaincode.version "$FABRIC_HOME_DIR/network.json")"
}

ns_of() { printf '%s-%s' "$PREFIX" "$1"; }

# ---------------------------------------------------------------------------------------------
# Network: bridge, namespaces, veth pairs

create_network() {
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    fatalln "link $BRIDGE exists already: run '$(basename "$0") down' first"
  fi
  local via
  via="$(ip -o route get "$SUBNET.11" 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "dev") print $(i + 1)}')"
  if [[ -n "$via" && "$via" != "lo" && "$via" != "$BRIDGE" ]] && [[ -n "$(ip -o route show "$SUBNET.0/24")" ]]; then
    fatalln "$SUBNET.0/24 is already routed through $via: choose another GOVFABRIC_FABRIC_SUBNET"
  fi
  infoln "Creating bridge $BRIDGE ($SUBNET.1/24) and one namespace per node"
  ip link add "$BRIDGE" type bridge
  ip addr add "$SUBNET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  local i=0 kind name addr _rest
  while read -r kind name addr _rest; do
    add_namespace "$i" "$kind" "$name" "$addr"
    i=$((i + 1))
  done <"$NODES_LIST"
}

# add_namespace INDEX KIND NAME ADDRESS: the node's namespace, joined to the bridge by veth pair INDEX.
add_namespace() {
  local i=$1 kind=$2 name=$3 addr=$4 ns veth
  ns="$(ns_of "$name")"
  veth="${PREFIX}v$i"
  ip netns add "$ns"
  ip link add "$veth" type veth peer name eth0 netns "$ns"
  ip link set "$veth" master "$BRIDGE" up
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add default via "$SUBNET.1"
  printf '  %-8s %-32s %-16s netns %s\n' "$kind" "$name" "$addr" "$ns"
}

delete_network() {
  local ns
  for ns in $(ip netns list | awk '{print $1}' | grep "^$PREFIX-" || true); do
    local pids
    pids="$(ip netns pids "$ns" || true)"
    if [[ -n "$pids" ]]; then
      # Processes started in our namespaces (nodes, chaincode servers) that outlived their pid file.
      # shellcheck disable=SC2086
      kill -9 $pids 2>/dev/null || true
    fi
    ip netns del "$ns"
  done
  # Deleting a namespace deletes its end of each veth pair and so the pair; the bridge goes last.
  if ip link show "$BRIDGE" >/dev/null 2>&1; then ip link del "$BRIDGE"; fi
}

# ---------------------------------------------------------------------------------------------
# Processes

pid_file() { printf '%s' "$FABRIC_HOME_DIR/pids/$1.pid"; }

running() {
  local f
  f="$(pid_file "$1")"
  [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

# start_node NAME: starts an orderer or peer in its namespace with its env file.
start_node() {
  local name=$1 kind ns
  kind="$(node_field "$name" 1)"
  [[ -n "$kind" ]] || fatalln "no node named $name (see $NODES_LIST)"
  if running "$name"; then return 0; fi
  ns="$(ns_of "$name")"
  local -a envs argv
  mapfile -t envs < <(env_args "$FABRIC_HOME_DIR/env/$name.env")
  if [[ "$kind" == orderer ]]; then argv=("$FABRIC_BIN/orderer"); else argv=("$FABRIC_BIN/peer" node start); fi
  mkdir -p "$FABRIC_HOME_DIR/logs" "$FABRIC_HOME_DIR/pids"
  ip netns exec "$ns" env -i PATH="$PATH" HOME="$FABRIC_HOME_DIR" FABRIC_CFG_PATH="$FABRIC_HOME_DIR/config" "${envs[@]}" \
    "${argv[@]}" >>"$FABRIC_HOME_DIR/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$(pid_file "$name")"
}

# wait_healthy NAME: until the node's operations service answers /healthz with 200.
wait_healthy() {
  local name=$1 ops n=0
  ops="$(node_field "$name" 7)"
  until curl -sf "http://$ops/healthz" >/dev/null 2>&1; do
    running "$name" || fatalln "$name exited; see $FABRIC_HOME_DIR/logs/$name.log"
    n=$((n + 1))
    ((n < 120)) || fatalln "$name not healthy after 60 s; see $FABRIC_HOME_DIR/logs/$name.log"
    sleep 0.5
  done
}

stop_pid_file() {
  local f=$1 signal=${2:-TERM} pid n=0
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "-$signal" "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && ((n < 40)); do
      sleep 0.25
      n=$((n + 1))
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

# ---------------------------------------------------------------------------------------------
# Steps of `up`

generate() {
  infoln "Generating configtx.yaml, crypto-config.yaml, node env files, profiles and network.json"
  rm -rf "$FABRIC_HOME_DIR/crypto" "$FABRIC_HOME_DIR/data" "$FABRIC_HOME_DIR/channel" "$FABRIC_HOME_DIR/chaincode"
  mkdir -p "$FABRIC_HOME_DIR"
  generate_files
  record_version
  infoln "Fabric $(jq -r .fabric.version "$FABRIC_HOME_DIR/network.json"); cryptogen generate"
  "$FABRIC_BIN/cryptogen" generate --config "$FABRIC_HOME_DIR/crypto-config.yaml" --output "$FABRIC_HOME_DIR/crypto" >/dev/null
  # The common connection profiles (fabric-network, Caliper) inline the TLS CA certificates cryptogen made.
  node "$GOVFABRIC_REPO/network-config/dist/fabric/cli.js" connection-profiles --out "$FABRIC_HOME_DIR" >/dev/null
  infoln "configtxgen -profile ChannelUsingRaft -outputBlock channel/$CHANNEL.block"
  mkdir -p "$FABRIC_HOME_DIR/channel"
  FABRIC_CFG_PATH="$FABRIC_HOME_DIR" "$FABRIC_BIN/configtxgen" -profile ChannelUsingRaft \
    -outputBlock "$FABRIC_HOME_DIR/channel/$CHANNEL.block" -channelID "$CHANNEL" 2>"$FABRIC_HOME_DIR/configtxgen.log" ||
    fatalln "configtxgen failed: $(cat "$FABRIC_HOME_DIR/configtxgen.log")"
}

# record_version: the peers' Fabric version in network.json, for tests that pin where 2.5 and 3.x differ.
record_version() {
  local version tmp
  version="$("$FABRIC_BIN/peer" version | sed -n 's/^ Version: //p')"
  # A build without the release's -ldflags (go build ./cmd/peer) calls itself "latest": FABRIC_VERSION says which.
  if [[ ! "$version" =~ ^[0-9]+\. ]]; then
    [[ -n "${FABRIC_VERSION:-}" ]] ||
      warnln "peer version says '$version' (not a release build): set FABRIC_VERSION=<x.y.z>, else tests that pin where Fabric 2.5 and 3.x differ expect 3.x"
    version="${FABRIC_VERSION:-$version}"
  fi
  tmp="$(mktemp)"
  jq --arg v "$version" '.fabric.version = $v' "$FABRIC_HOME_DIR/network.json" >"$tmp" && mv "$tmp" "$FABRIC_HOME_DIR/network.json"
}

# generate_files: configtx.yaml, crypto-config.yaml, env files, nodes.list, network.json and profiles
# from the list of ministries (addresses by position: appended ministries leave the others' as they were).
generate_files() {
  node "$GOVFABRIC_REPO/network-config/dist/fabric/cli.js" --out "$FABRIC_HOME_DIR" \
    --ministries "${GOVFABRIC_MINISTRIES:-$GOVFABRIC_REPO/network-config/ministries.yaml}" \
    --subnet "$SUBNET" --ccaas-builder "$CCAAS_BUILDER" --orderers "${GOVFABRIC_FABRIC_ORDERERS:-3}"
  load_descriptor
}

# The nodes' FABRIC_CFG_PATH: the release's core.yaml and orderer.yaml, with core.yaml's vm.endpoint
# unset, as its own comment asks when only external builders run chaincode (no Docker health check).
node_config() {
  mkdir -p "$FABRIC_HOME_DIR/config"
  cp "$FABRIC_CFG/orderer.yaml" "$FABRIC_HOME_DIR/config/orderer.yaml"
  sed '/^vm:/,/^[^ #]/ s|^\( *endpoint:\).*$|\1 ""|' "$FABRIC_CFG/core.yaml" >"$FABRIC_HOME_DIR/config/core.yaml"
  grep -q '^ *endpoint: ""' "$FABRIC_HOME_DIR/config/core.yaml" || fatalln "could not unset vm.endpoint in $FABRIC_CFG/core.yaml"
}

start_nodes() {
  local name
  node_config
  infoln "Starting $(nodes_of_kind orderer | wc -l) orderers and $(nodes_of_kind peer | wc -l) peers"
  for name in $(nodes_of_kind orderer) $(nodes_of_kind peer); do start_node "$name"; done
  for name in $(nodes_of_kind orderer) $(nodes_of_kind peer); do wait_healthy "$name"; done
}

# ---------------------------------------------------------------------------------------------
# Chaincode as a service

deploy() {
  local name=$1 folder=$2 port=${3:-9999} version=${4:-} policy=${5:-}
  load_descriptor
  [[ -d "$folder" && -f "$folder/package.json" ]] || fatalln "chaincode folder $folder has no package.json"
  folder="$(cd "$folder" && pwd)"
  [[ -n "$version" ]] || version="$([[ "$name" == "$CHAINCODE" ]] && echo "$CHAINCODE_VERSION" || echo 1.0)"
  local dir="$FABRIC_HOME_DIR/chaincode/$name" pkgid
  mkdir -p "$dir"
  infoln "Packaging $name $version as a service (127.0.0.1:$port beside each peer)"
  # The server runs beside the peer, in its namespace, on loopback: one package serves every ministry.
  package_ccaas "${name}_${version}" "127.0.0.1:$port" "$dir/$name.tar.gz"
  pkgid="$(lifecycle_deploy "$CHANNEL" "$name" "$version" "$dir/$name.tar.gz" "$folder" "$FABRIC_HOME_DIR/logs/peer-cli.log" "$policy")"
  # What ministry-add needs to deploy it on a new ministry's peer too.
  jq -n --arg folder "$folder" --arg port "$port" --arg version "$version" --arg policy "$policy" \
    '{folder: $folder, port: $port, version: $version, policy: $policy}' >"$dir/deploy.json"
  start_chaincode_servers "$name" "$folder" "$port" "$pkgid"
}

# start_chaincode_servers NAME FOLDER PORT PACKAGE_ID: one fabric-shim server per peer, in its namespace,
# with the environment the peer gives chaincode it launches (stub.getMspID reads CORE_PEER_LOCALMSPID):
# for chaincode as a service that is the operator's to set.
start_chaincode_servers() {
  local name=$1 folder=$2 port=$3 pkgid=$4 shim p key peers
  shift 4
  # Given peers only (ministry-add: the new ones), else every peer.
  peers="${*:-$(nodes_of_kind peer)}"
  shim="$(cd "$GOVFABRIC_REPO" && node -p "require.resolve('fabric-shim/cli.js')")"
  for p in $peers; do
    key="chaincode-$name@$p"
    stop_pid_file "$(pid_file "$key")"
    ip netns exec "$(ns_of "$p")" env -C "$folder" CORE_CHAINCODE_LOGGING_LEVEL=info \
      CORE_PEER_LOCALMSPID="$(node_field "$p" 4)" CORE_CHAINCODE_ID_NAME="$pkgid" \
      node "$shim" server --chaincode-address="127.0.0.1:$port" --chaincode-id="$pkgid" --module-path="$folder" \
      >>"$FABRIC_HOME_DIR/logs/$key.log" 2>&1 </dev/null &
    echo $! >"$(pid_file "$key")"
  done
  for p in $peers; do
    key="chaincode-$name@$p"
    retry 120 0.5 ip netns exec "$(ns_of "$p")" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null ||
      fatalln "$key did not listen on 127.0.0.1:$port; see $FABRIC_HOME_DIR/logs/$key.log"
  done
  successln "$name is served beside every peer (package $pkgid)"
}

# ---------------------------------------------------------------------------------------------
# Adding ministries to the running channel

# add_org_to_channel MSP LOG: a config update putting MSP's group (configtxgen -printOrg: MSP, policies;
# and its anchor peers) into /Channel/Application, signed by a majority of the member ministries' admins
# (the Application group's Admins policy is MAJORITY Admins): the first sign, the last submits.
add_org_to_channel() {
  local msp=$1 log=$2 tmp members n i=0 m p anchors
  tmp="$(mktemp -d)"
  local -a of signers=()
  mapfile -t of < <(orderer_flags)
  current_config "$tmp"
  members="$(jq -r '.channel_group.groups.Application.groups | keys[]' "$tmp/config.json")"
  for m in $members; do
    p="$(awk -v m="$m" '$1 == "peer" && $4 == m { print $2; exit }' "$NODES_LIST")"
    [[ -z "$p" ]] || signers+=("$p")
  done
  n=$(($(wc -w <<<"$members") / 2 + 1))
  ((${#signers[@]} >= n)) || fatalln "$n of the member ministries' admins must sign, but only ${#signers[@]} have a peer here"
  FABRIC_CFG_PATH="$FABRIC_HOME_DIR" "$FABRIC_BIN/configtxgen" -printOrg "$msp" >"$tmp/org.json" 2>>"$log" ||
    fatalln "configtxgen -printOrg $msp failed; see $log"
  # printOrg leaves the anchor peers out (Fabric's tutorial sets them in an update of the org's own):
  # here they go in with the organization, as devnet's ministry-add puts them, its peers' addresses.
  anchors="$(awk -v m="$msp" '$1 == "peer" && $4 == m { print $5 }' "$NODES_LIST" |
    jq -R 'split(":") | {host: .[0], port: (.[1] | tonumber)}' | jq -s .)"
  jq --arg m "$msp" --slurpfile org "$tmp/org.json" --argjson a "$anchors" \
    '.channel_group.groups.Application.groups[$m] = ($org[0]
      | .values.AnchorPeers = {mod_policy: "Admins", value: {anchor_peers: $a}, version: "0"})' \
    "$tmp/config.json" >"$tmp/modified.json"
  translate proto_encode --type common.Config --input "$tmp/config.json" --output "$tmp/config.pb"
  translate proto_encode --type common.Config --input "$tmp/modified.json" --output "$tmp/modified.pb"
  translate compute_update --channel_id "$CHANNEL" --original "$tmp/config.pb" --updated "$tmp/modified.pb" --output "$tmp/update.pb"
  translate proto_decode --type common.ConfigUpdate --input "$tmp/update.pb" --output "$tmp/update.json"
  jq --arg c "$CHANNEL" '{payload: {header: {channel_header: {channel_id: $c, type: 2}}, data: {config_update: .}}}' \
    "$tmp/update.json" >"$tmp/envelope.json"
  translate proto_encode --type common.Envelope --input "$tmp/envelope.json" --output "$tmp/envelope.pb"
  for ((i = 0; i < n - 1; i++)); do
    as_admin "${signers[$i]}" channel signconfigtx -f "$tmp/envelope.pb" >>"$log" 2>&1 ||
      fatalln "signconfigtx by $(node_field "${signers[$i]}" 4) failed; see $log"
  done
  infoln "peer channel update: $msp joins '$CHANNEL', signed by $n of $(wc -w <<<"$members") ministries' admins"
  as_admin "${signers[$((n - 1))]}" channel update -f "$tmp/envelope.pb" -c "$CHANNEL" "${of[@]}" >>"$log" 2>&1 ||
    fatalln "the config update adding $msp failed; see $log"
  rm -rf "$tmp"
}

translate() { "$FABRIC_BIN/configtxlator" "$@" >>"$FABRIC_HOME_DIR/logs/ministry-add.log" 2>&1 || fatalln "configtxlator $1 failed"; }

# current_config DIR: fetches the channel's last config block into DIR, its config into DIR/config.json.
current_config() {
  local dir=$1 p
  local -a of
  mapfile -t of < <(orderer_flags)
  p="$(nodes_of_kind peer | head -n1)"
  as_admin "$p" channel fetch config "$dir/config_block.pb" -c "$CHANNEL" "${of[@]}" >>"$FABRIC_HOME_DIR/logs/ministry-add.log" 2>&1 ||
    fatalln "could not fetch the config block of $CHANNEL"
  translate proto_decode --type common.Block --input "$dir/config_block.pb" --output "$dir/config_block.json"
  jq '.data.data[0].payload.data.config' "$dir/config_block.json" >"$dir/config.json"
}

height_of() { as_admin "$1" channel getinfo -c "$CHANNEL" 2>/dev/null | sed -n 's/^Blockchain info: //p' | jq -r .height; }

# caught_up PEER: PEER's ledger is as high as the first peer's (it pulled the chain from the orderers).
caught_up() { [[ "$(height_of "$1")" == "$(height_of "$(nodes_of_kind peer | head -n1)")" ]]; }

# ministry_add: after ministries were appended to the list, their crypto material (cryptogen extend),
# one config update per new ministry, their peers started in namespaces of their own and joined from
# the genesis block, and every chaincode deploy recorded installed and served there: egov defined at a
# new sequence (its collections name every ministry), the others approved by the new ministries.
ministry_add() {
  load_descriptor
  local log="$FABRIC_HOME_DIR/logs/ministry-add.log" old_peers old_msps new_msps new_peers p m f name
  mkdir -p "$FABRIC_HOME_DIR/logs"
  old_peers="$(nodes_of_kind peer)"
  old_msps="$(jq -r '.organizations[].mspId' "$FABRIC_HOME_DIR/network.json")"
  infoln "Generating the files of the longer list of ministries"
  generate_files >>"$log"
  record_version
  new_msps="$(jq -r '.organizations[].mspId' "$FABRIC_HOME_DIR/network.json" | grep -vxF -f <(printf '%s\n' "$old_msps") || true)"
  new_peers="$(nodes_of_kind peer | grep -vxF -f <(printf '%s\n' "$old_peers") || true)"
  if [[ -z "$new_msps" ]]; then
    successln "every ministry of the list is in '$CHANNEL' already"
    return 0
  fi
  "$FABRIC_BIN/cryptogen" extend --config "$FABRIC_HOME_DIR/crypto-config.yaml" --input "$FABRIC_HOME_DIR/crypto" >>"$log" 2>&1 ||
    fatalln "cryptogen extend failed; see $log"
  node "$GOVFABRIC_REPO/network-config/dist/fabric/cli.js" connection-profiles --out "$FABRIC_HOME_DIR" >/dev/null
  for m in $new_msps; do add_org_to_channel "$m" "$log"; done
  for p in $new_peers; do
    add_namespace "$(awk -v n="$p" '$2 == n { print NR - 1 }' "$NODES_LIST")" peer "$p" "$(node_field "$p" 3)"
    start_node "$p"
  done
  for p in $new_peers; do
    wait_healthy "$p"
    infoln "peer channel join: $p joins '$CHANNEL' from its genesis block"
    retry 10 2 as_admin "$p" channel join -b "$FABRIC_HOME_DIR/channel/$CHANNEL.block" >>"$log" 2>&1 ||
      fatalln "$p could not join; see $log"
    retry 240 0.5 caught_up "$p" || fatalln "$p did not catch up with the chain in 2 minutes"
  done
  for f in "$FABRIC_HOME_DIR"/chaincode/*/deploy.json; do
    [[ -f "$f" ]] || continue
    name="$(basename "$(dirname "$f")")"
    local folder port version policy pkgid force=""
    folder="$(jq -r .folder "$f")" port="$(jq -r .port "$f")" version="$(jq -r .version "$f")" policy="$(jq -r .policy "$f")"
    # egov's collections config names every ministry (its accounts collections): a new definition.
    [[ "$name" != "$CHAINCODE" ]] || force=1
    pkgid="$(lifecycle_deploy "$CHANNEL" "$name" "$version" "$(dirname "$f")/$name.tar.gz" "$folder" "$log" "$policy" "$force")"
    # shellcheck disable=SC2086 # one word per new peer
    start_chaincode_servers "$name" "$folder" "$port" "$pkgid" $new_peers
  done
  successln "$(tr '\n' ' ' <<<"$new_msps")joined '$CHANNEL'"
}

# ---------------------------------------------------------------------------------------------
# The HTTP gateway

start_gateway() {
  load_descriptor
  local msp token
  msp="$(node_field "$(nodes_of_kind peer | head -n1)" 4)"
  stop_pid_file "$(pid_file gateway)"
  token="$FABRIC_HOME_DIR/admin-token"
  [[ -f "$token" ]] || (umask 077 && node -e "process.stdout.write(require('crypto').randomBytes(24).toString('hex'))" >"$token")
  mkdir -p "$FABRIC_HOME_DIR/logs" "$FABRIC_HOME_DIR/pids"
  # Configuration only: the connection profiles network-config wrote for this network.
  GATEWAY_PROFILE="$FABRIC_HOME_DIR/profiles/$msp.json" GATEWAY_PORT="$GATEWAY_PORT" GATEWAY_HOST=127.0.0.1 \
    GATEWAY_ADMIN_TOKEN="$(cat "$token")" \
    node "$GOVFABRIC_REPO/gateway/dist/server.js" >>"$FABRIC_HOME_DIR/logs/gateway.log" 2>&1 </dev/null &
  echo $! >"$(pid_file gateway)"
  retry 120 0.5 curl -sf "http://127.0.0.1:$GATEWAY_PORT/healthz" >/dev/null ||
    fatalln "the gateway did not become healthy; see $FABRIC_HOME_DIR/logs/gateway.log"
  successln "HTTP gateway of $msp on http://127.0.0.1:$GATEWAY_PORT (admin token: $token)"
}

# ---------------------------------------------------------------------------------------------
# Status and Raft leader

leader() {
  local name metrics
  for name in $(nodes_of_kind orderer); do
    # Read the whole page first: grep -q closing the pipe early would fail curl under pipefail.
    metrics="$(curl -sf -m 10 "http://$(node_field "$name" 7)/metrics" 2>/dev/null || true)"
    if grep -Eq "^consensus_etcdraft_is_leader\{channel=\"$CHANNEL\"\} 1" <<<"$metrics"; then
      echo "$name"
      return 0
    fi
  done
  return 1
}

status() {
  load_descriptor
  local kind name addr _msp _client _admin ops pid health
  while read -r kind name addr _msp _client _admin ops; do
    pid="-"
    running "$name" && pid="$(cat "$(pid_file "$name")")"
    health="$(curl -s -o /dev/null -w '%{http_code}' "http://$ops/healthz" 2>/dev/null || true)"
    printf '%-8s %-32s %-16s pid %-8s healthz %s\n' "$kind" "$name" "$addr" "$pid" "${health:-none}"
  done <"$NODES_LIST"
  echo "raft leader of $CHANNEL: $(leader || echo none)"
}

down() {
  infoln "Stopping the gateway, chaincode servers, peers and orderers"
  local f
  if [[ -d "$FABRIC_HOME_DIR/pids" ]]; then
    for f in "$FABRIC_HOME_DIR"/pids/gateway.pid "$FABRIC_HOME_DIR"/pids/chaincode-*.pid "$FABRIC_HOME_DIR"/pids/*.pid; do
      [[ -e "$f" ]] && stop_pid_file "$f"
    done
  fi
  infoln "Deleting namespaces $PREFIX-*, their veth pairs and bridge $BRIDGE"
  delete_network
  if [[ -d "$FABRIC_HOME_DIR" ]]; then
    find "$FABRIC_HOME_DIR" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} +
  fi
  successln "down: no namespace, process or link of this network is left"
}

# ---------------------------------------------------------------------------------------------

main() {
  local cmd=${1:-}
  [[ -n "$cmd" ]] || {
    usage
    exit 2
  }
  shift
  case "$cmd" in
    -h | --help | help) usage ;;
    up)
      check_prereqs
      [[ ! -f "$FABRIC_HOME_DIR/network.json" ]] || fatalln "a network is up in $FABRIC_HOME_DIR already: '$(basename "$0") down' first"
      local started=$SECONDS
      rm -rf "$FABRIC_HOME_DIR/logs"
      generate
      create_network
      start_nodes
      join_channel "$CHANNEL" "$FABRIC_HOME_DIR/logs/channel.log"
      # A new Raft cluster elects its leader about a second after the join (etcdraft's election
      # tick); until then Broadcast answers SERVICE_UNAVAILABLE "no Raft leader".
      infoln "waiting for the Raft cluster of '$CHANNEL' to elect a leader"
      retry 120 0.5 leader >/dev/null || fatalln "no orderer became the Raft leader of '$CHANNEL'; see $FABRIC_HOME_DIR/logs"
      deploy "$CHAINCODE" "$GOVFABRIC_REPO/chaincode" 9999 "$CHAINCODE_VERSION"
      start_gateway
      successln "up in $((SECONDS - started)) s. Test descriptor: GOVFABRIC_FABRIC_NETWORK=$FABRIC_HOME_DIR/network.json"
      ;;
    deploy)
      [[ $# -ge 2 ]] || fatalln "usage: deploy <name> <folder> [port] [version] [signature policy]"
      check_prereqs
      deploy "$@"
      ;;
    gateway)
      check_prereqs
      start_gateway
      ;;
    ministry-add)
      check_prereqs
      require_fabric_bin configtxlator
      ministry_add
      ;;
    status) status ;;
    leader)
      load_descriptor
      leader || fatalln "no orderer reports leading the Raft cluster of $CHANNEL"
      ;;
    stop)
      [[ $# -eq 1 ]] || fatalln "usage: stop <node>"
      [[ -n "$(node_field "$1" 1)" ]] || fatalln "no node named $1 (see $NODES_LIST)"
      stop_pid_file "$(pid_file "$1")" KILL
      ;;
    start)
      [[ $# -eq 1 ]] || fatalln "usage: start <node>"
      check_prereqs
      start_node "$1"
      wait_healthy "$1"
      ;;
    down)
      [[ $EUID -eq 0 ]] || fatalln "deleting network namespaces needs root: run with sudo"
      down
      ;;
    *)
      usage >&2
      fatalln "unknown command '$cmd'"
      ;;
  esac
}

main "$@"
