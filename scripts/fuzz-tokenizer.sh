#!/bin/sh
# Builds the tokenizer's libFuzzer target (needs clang with libFuzzer: apt-get install clang
# libclang-rt-14-dev) and runs it for a bounded time: `sh scripts/fuzz-tokenizer.sh [seconds]`
# (default 30, what CI runs). The corpus grows in build-fuzz/tokenizer-corpus between runs.
set -e
cd "$(dirname "$0")/.."
seconds="${1:-30}"
mkdir -p build-fuzz/tokenizer-corpus
clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -Inative/include -Inative/test \
  native/test/fuzz/tokenizer_fuzz.cc native/src/tokenizer/*.cc -o build-fuzz/tokenizer_fuzz
./build-fuzz/tokenizer_fuzz build-fuzz/tokenizer-corpus -max_total_time="$seconds" -max_len=4096 -print_final_stats=1
