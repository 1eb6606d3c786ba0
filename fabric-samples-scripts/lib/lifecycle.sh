#!/usr/bin/env bash
# The channel and chaincode steps both networks share, with Fabric's own CLIs (osnadmin, peer).
# Sourced after common.sh; the sourcing script sets NET_HOME (the generated folder: nodes.list,
# crypto/, channel/), FABRIC_BIN and PEER_CLI_CFG (a folder with core.yaml for the peer CLI).
# shellcheck shell=bash

# node_field NAME COLUMN: a column of the node's line in nodes.list (1 kind, 2 name, 3 address,
# 4 MSP id, 5 client endpoint, 6 admin endpoint, 7 operations endpoint).
node_field() { awk -v n="$1" -v c="$2" '$2 == n { print $c }' "$NET_HOME/nodes.list"; }
nodes_of_kind() { awk -v k="$1" '$1 == k { print $2 }' "$NET_HOME/nodes.list"; }
domain_of() { printf '%s' "${1#*.}"; }

first_orderer() { nodes_of_kind orderer | head -n1; }

orderer_ca() {
  local d
  d="$(domain_of "$(first_orderer)")"
  printf '%s' "$NET_HOME/crypto/ordererOrganizations/$d/tlsca/tlsca.$d-cert.pem"
}

peer_tls_ca() {
  local d
  d="$(domain_of "$1")"
  printf '%s' "$NET_HOME/crypto/peerOrganizations/$d/tlsca/tlsca.$d-cert.pem"
}

# as_admin PEER COMMAND...: a peer CLI command as the admin of PEER's ministry, talking to PEER.
as_admin() {
  local peer_name=$1 d
  shift
  d="$(domain_of "$peer_name")"
  FABRIC_CFG_PATH="$PEER_CLI_CFG" \
    CORE_PEER_TLS_ENABLED=true \
    CORE_PEER_LOCALMSPID="$(node_field "$peer_name" 4)" \
    CORE_PEER_MSPCONFIGPATH="$NET_HOME/crypto/peerOrganizations/$d/users/Admin@$d/msp" \
    CORE_PEER_ADDRESS="$(node_field "$peer_name" 5)" \
    CORE_PEER_TLS_ROOTCERT_FILE="$(peer_tls_ca "$peer_name")" \
    "$FABRIC_BIN/peer" "$@"
}

# The orderer flags of peer CLI commands that submit (the CLI takes one orderer address).
orderer_flags() {
  local first
  first="$(first_orderer)"
  printf '%s\n' -o "$(node_field "$first" 5)" --ordererTLSHostnameOverride "$first" --tls --cafile "$(orderer_ca)"
}

# osnadmin_join ORDERER CHANNEL: the orderer joins the channel from its genesis block (no system channel).
osnadmin_join() {
  local name=$1 channel=$2 d
  d="$(domain_of "$name")"
  local admin="$NET_HOME/crypto/ordererOrganizations/$d/users/Admin@$d/tls"
  "$FABRIC_BIN/osnadmin" channel join --channelID "$channel" --config-block "$NET_HOME/channel/$channel.block" \
    -o "$(node_field "$name" 6)" --ca-file "$(orderer_ca)" \
    --client-cert "$admin/client.crt" --client-key "$admin/client.key"
}

# join_channel CHANNEL LOG: every orderer through osnadmin, then every peer through peer channel join.
join_channel() {
  local channel=$1 log=$2 name
  infoln "osnadmin channel join: every orderer joins '$channel'"
  for name in $(nodes_of_kind orderer); do
    retry 10 2 osnadmin_join "$name" "$channel" >>"$log" 2>&1 || fatalln "osnadmin could not join $name; see $log"
  done
  infoln "peer channel join: every peer joins '$channel'"
  for name in $(nodes_of_kind peer); do
    retry 10 2 as_admin "$name" channel join -b "$NET_HOME/channel/$channel.block" >>"$log" 2>&1 ||
      fatalln "$name could not join; see $log"
  done
}

# package_ccaas LABEL ADDRESS OUT: a chaincode-as-a-service package (metadata.json, code.tar.gz
# holding connection.json) as fabric-samples' deployCCAAS.sh writes it; no TLS on the link.
package_ccaas() {
  local label=$1 address=$2 out=$3 tmp
  tmp="$(mktemp -d)"
  mkdir -p "$tmp/src" "$tmp/pkg"
  printf '{\n  "address": "%s",\n  "dial_timeout": "10s",\n  "tls_required": false\n}\n' "$address" >"$tmp/src/connection.json"
  printf '{\n  "type": "ccaas",\n  "label": "%s"\n}\n' "$label" >"$tmp/pkg/metadata.json"
  tar -C "$tmp/src" -czf "$tmp/pkg/code.tar.gz" .
  tar -C "$tmp/pkg" -czf "$out" metadata.json code.tar.gz
  rm -rf "$tmp"
}

# approved_package PEER CHANNEL NAME SEQUENCE: the package id PEER's ministry approved at SEQUENCE, if any.
approved_package() {
  as_admin "$1" lifecycle chaincode queryapproved --channelID "$2" --name "$3" --sequence "$4" --output json 2>/dev/null |
    jq -r '.source.Type.LocalPackage.package_id // ""' || true
}

installed_on() {
  as_admin "$1" lifecycle chaincode queryinstalled --output json |
    jq -e --arg id "$2" '(.installed_chaincodes // []) | map(.package_id) | index($id) != null' >/dev/null
}

# collections_config NAME FOLDER: the collections config file of a chaincode, if any: for the network's
# own chaincode the one network-config generated (network.json collectionsConfigPath: the central
# bank's account collections), else FOLDER/collections_config.json.
collections_config() {
  local name=$1 folder=$2 generated
  generated="$(jq -r --arg n "$name" 'if .chaincode.name == $n then .collectionsConfigPath // "" else "" end' "$NET_HOME/network.json")"
  if [[ -n "$generated" ]]; then
    printf '%s' "$generated"
  elif [[ -f "$folder/collections_config.json" ]]; then
    printf '%s' "$folder/collections_config.json"
  fi
}

# lifecycle_deploy CHANNEL NAME VERSION PACKAGE FOLDER LOG [SIGNATURE_POLICY] [NEW_SEQUENCE]: install the
# package on every peer, approve the definition for every ministry and commit it (collections:
# collections_config; endorsement policy: SIGNATURE_POLICY, else the channel's
# /Channel/Application/Endorsement). Skips what is done already; a ministry that has not approved the
# committed definition (one added to the channel since) approves it. NEW_SEQUENCE=1 defines the next
# sequence even when the package is approved (the collections changed). Prints the package id.
lifecycle_deploy() {
  local channel=$1 name=$2 version=$3 pkg=$4 folder=$5 log=$6 policy=${7:-} force=${8:-} peers first p pkgid collections
  peers="$(nodes_of_kind peer)"
  first="$(head -n1 <<<"$peers")"
  pkgid="$(as_admin "$first" lifecycle chaincode calculatepackageid "$pkg")"
  for p in $peers; do
    if ! installed_on "$p" "$pkgid"; then
      infoln "peer lifecycle chaincode install on $p" >&2
      as_admin "$p" lifecycle chaincode install "$pkg" >>"$log" 2>&1 || fatalln "install on $p failed; see $log"
    fi
  done
  local -a definition=(--channelID "$channel" --name "$name" --version "$version")
  collections="$(collections_config "$name" "$folder")"
  [[ -z "$collections" ]] || definition+=(--collections-config "$collections")
  [[ -z "$policy" ]] || definition+=(--signature-policy "$policy")
  local committed approved_pkg sequence
  committed="$(as_admin "$first" lifecycle chaincode querycommitted --channelID "$channel" --name "$name" --output json 2>/dev/null | jq -r '.sequence // 0')" || committed=0
  approved_pkg="$(as_admin "$first" lifecycle chaincode queryapproved --channelID "$channel" --name "$name" --output json 2>/dev/null | jq -r '.source.Type.LocalPackage.package_id // ""')" || approved_pkg=""
  if [[ "${committed:-0}" != 0 && "$approved_pkg" == "$pkgid" && -z "$force" ]]; then
    infoln "$name $version (sequence $committed) is committed already" >&2
    local -a of
    mapfile -t of < <(orderer_flags)
    for p in $peers; do
      [[ "$(approved_package "$p" "$channel" "$name" "$committed")" != "$pkgid" ]] || continue
      infoln "peer lifecycle chaincode approveformyorg: $(node_field "$p" 4), $name sequence $committed (committed)" >&2
      as_admin "$p" lifecycle chaincode approveformyorg "${of[@]}" "${definition[@]}" --package-id "$pkgid" \
        --sequence "$committed" --waitForEvent >>"$log" 2>&1 || fatalln "approveformyorg for $p failed; see $log"
    done
  else
    sequence=$((${committed:-0} + 1))
    local -a of targets=()
    mapfile -t of < <(orderer_flags)
    for p in $peers; do
      infoln "peer lifecycle chaincode approveformyorg: $(node_field "$p" 4), $name sequence $sequence" >&2
      as_admin "$p" lifecycle chaincode approveformyorg "${of[@]}" "${definition[@]}" --package-id "$pkgid" \
        --sequence "$sequence" --waitForEvent >>"$log" 2>&1 || fatalln "approveformyorg for $p failed; see $log"
      targets+=(--peerAddresses "$(node_field "$p" 5)" --tlsRootCertFiles "$(peer_tls_ca "$p")")
    done
    infoln "peer lifecycle chaincode commit: $name sequence $sequence" >&2
    as_admin "$first" lifecycle chaincode commit "${of[@]}" "${definition[@]}" --sequence "$sequence" "${targets[@]}" \
      --waitForEvent >>"$log" 2>&1 || fatalln "commit of $name failed; see $log"
  fi
  printf '%s\n' "$pkgid"
}
