#!/bin/sh
# `npm test` after tsc: the node:test suite, and beside it, at the lowest CPU priority, the C++
# tests under ASan/UBSan (scripts/test-native.sh: their build, then their run), whose output is
# printed after the suite's. Fails when either fails.
#
# Why beside: the sanitized build is minutes of compiling on two cores, and most test files keep
# one core busy or none (a child process, a file, a timer awaited), so run before the suite it
# added its whole length to `npm test`; niced, it takes what the suite leaves idle and yields the
# rest. Why two test files at a time (Node's default is one less than the cores: one on two): the
# same idle core. The timing- and memory-sensitive tests (the leak test, the real A/A regress,
# SIGINT and SIGKILL timing, peak-RSS bounds) measure their own child processes against bounds
# made for a shared machine: the suite runs under loads of 8–10 on two cores in the project's
# sessions, far above what a second test file and a niced build add.
set -u
cd "$(dirname "$0")/.."
native_log=$(mktemp)
trap 'rm -f "$native_log"' EXIT
nice -n 19 sh scripts/test-native.sh >"$native_log" 2>&1 &
native=$!
# --test-concurrency: Node ≥ 20.10 (older ones run the files one at a time).
concurrency=$(node --test-concurrency=2 -e 0 2>/dev/null && echo --test-concurrency=2)
# Arguments (`npm test -- --test-name-pattern=…`) go to node --test.
node --test $concurrency "$@" dist/test/*.test.js dist/test/fuzz/*.test.js
node_status=$?
wait "$native"
native_status=$?
echo
echo "C++ tests under ASan/UBSan (scripts/test-native.sh, run beside the suite):"
cat "$native_log"
[ "$native_status" -eq 0 ] || echo "scripts/test-native.sh failed with status $native_status"
[ "$node_status" -eq 0 ] && [ "$native_status" -eq 0 ]
