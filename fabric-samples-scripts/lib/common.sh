#!/usr/bin/env bash
# Shared helpers of govfabric's Fabric scripts (sourced, never run).
# shellcheck shell=bash

# The repository root (this file is fabric-samples-scripts/lib/common.sh).
GOVFABRIC_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export GOVFABRIC_REPO

infoln() { printf '\033[0;34m%s\033[0m\n' "$*"; }
successln() { printf '\033[0;32m%s\033[0m\n' "$*"; }
warnln() { printf '\033[0;33m%s\033[0m\n' "$*" >&2; }
fatalln() {
  printf '\033[0;31mError: %s\033[0m\n' "$*" >&2
  exit 1
}

# require_cmd NAME HINT: fails naming the missing command and how to get it.
require_cmd() {
  command -v "$1" >/dev/null 2>&1 || fatalln "'$1' not found on PATH. $2"
}

# require_fabric_bin: FABRIC_BIN holds Fabric's release binaries (never downloaded or built here).
require_fabric_bin() {
  [[ -n "${FABRIC_BIN:-}" ]] || fatalln "FABRIC_BIN is not set: point it at the bin/ folder of a Fabric 2.5 or 3.x release (fabric-samples' install-fabric.sh binary, or a hyperledger-fabric-linux-amd64-<version>.tar.gz unpacked)"
  [[ -d "$FABRIC_BIN" ]] || fatalln "FABRIC_BIN=$FABRIC_BIN is not a folder"
  local tool
  for tool in "$@"; do
    [[ -x "$FABRIC_BIN/$tool" ]] || fatalln "FABRIC_BIN=$FABRIC_BIN has no executable '$tool' (a Fabric release's bin/ holds peer, orderer, osnadmin, configtxgen, cryptogen)"
  done
}

# require_built: the TypeScript packages must be compiled (npm run build) for the generator and gateway.
require_built() {
  [[ -f "$GOVFABRIC_REPO/network-config/dist/fabric/cli.js" && -f "$GOVFABRIC_REPO/gateway/dist/server.js" ]] ||
    fatalln "govfabric is not built: run 'npm ci && npm run build' in $GOVFABRIC_REPO first"
}

# env_args FILE: prints the KEY=value lines of an environment file (comments and blank lines
# skipped), one per line, taken literally (values may hold quotes and spaces).
env_args() {
  local line
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ -z "$line" || "$line" == \#* ]] && continue
    printf '%s\n' "$line"
  done <"$1"
}

# retry TRIES DELAY COMMAND...: runs COMMAND until it succeeds, at most TRIES times.
retry() {
  local tries=$1 delay=$2 n=1
  shift 2
  until "$@"; do
    ((n >= tries)) && return 1
    n=$((n + 1))
    sleep "$delay"
  done
}
