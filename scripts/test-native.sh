#!/bin/sh
# Builds the Node-free C++ tests under AddressSanitizer and UndefinedBehaviorSanitizer and runs
# them (part of `npm test`). Separate build folder: the addon in build/ stays a plain -O3 build.
set -e
cd "$(dirname "$0")/.."
cmake -S . -B build-sanitize -DXMR_NATIVE_TESTS=ON -DXMR_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-sanitize -j 2 >/dev/null
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ./build-sanitize/xmr_native_tests
