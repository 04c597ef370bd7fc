#!/bin/sh
# Runs the two example programs against each other over TCP loopback, as a student would in
# two terminals. Usage: counter_demo_test.sh <counter_server> <counter_client>
set -u
server_bin=$1
client_bin=$2
out=$(mktemp)
"$server_bin" 127.0.0.1:0 >"$out" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; rm -f "$out"' EXIT
addr=""
for _ in $(seq 1 100); do
  addr=$(sed -n 's/^listening on //p' "$out")
  [ -n "$addr" ] && break
  sleep 0.05
done
if [ -z "$addr" ]; then
  echo "counter_server did not start" >&2
  exit 1
fi
"$client_bin" "$addr" demo
