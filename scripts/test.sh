#!/bin/sh
# `npm test` after tsc: the node:test suite, and beside it, at the lowest CPU priority, the C++
# tests under ASan/UBSan (scripts/test-native.sh: their build, then their run), whose output is
# printed after the suite's. Fails when either fails.
#
# Why beside: the sanitized build is minutes of compiling on two cores, and most test files keep
# one core busy or none (a child process, a file, a timer awaited), so run before the suite it
# added its whole length to `npm test`; niced, it takes what the suite leaves idle and yields the
# rest to the tests. The test files still run one at a time (Node 20's default on two cores): two
# at a time, the real A/A regress got 4 of its 5 rounds within its 120 s budget while the packed
# package compiled its addon beside it (2026-12-01, load 10 from other sessions).
#
# The tests' temporary files go to one scratch folder (TMPDIR, which os.tmpdir() and every child
# process honour), removed after a passing run and kept, with its path printed, after a failing
# one: many tests leave their mkdtemp folders behind for inspection, and a run left ~80 of them
# (~100 MB) in /tmp.
set -u
cd "$(dirname "$0")/.."
native_log=$(mktemp)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/xmrbench-test-XXXXXX")
trap 'rm -f "$native_log"' EXIT
nice -n 19 sh scripts/test-native.sh >"$native_log" 2>&1 &
native=$!
# Arguments (`npm test -- --test-name-pattern=…`) go to node --test.
TMPDIR="$scratch" node --test "$@" dist/test/*.test.js dist/test/fuzz/*.test.js
node_status=$?
if [ "$node_status" -eq 0 ]; then rm -rf "$scratch"; else echo "the tests' temporary files are kept in $scratch"; fi
wait "$native"
native_status=$?
echo
echo "C++ tests under ASan/UBSan (scripts/test-native.sh, run beside the suite):"
cat "$native_log"
[ "$native_status" -eq 0 ] || echo "scripts/test-native.sh failed with status $native_status"
[ "$node_status" -eq 0 ] && [ "$native_status" -eq 0 ]
