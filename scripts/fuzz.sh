#!/bin/sh
# Runs one fuzz target for a bounded time: `sh scripts/fuzz.sh TARGET SECONDS` (default 30 s, what
# CI runs for the tokenizer); `sh scripts/fuzz.sh list` names the targets. docs/fuzzing.md has the
# table of targets, what each checks and the executions of the last long pass.
#
# Native targets, libFuzzer under ASan/UBSan (tokenizer: the encoding of texts; tokenizer-spec: building
# a tokenizer from a hostile vocabulary, merges and added tokens; checkpoint: the .xde/.xit readers;
# trec-run-native: the TREC run reader behind readRunFile / TrecRunParser).
# They need clang with libFuzzer (apt-get install clang libclang-rt-14-dev). The harness
# native/test/fuzz/TARGET_fuzz.cc is built into build-fuzz/, seeded with the committed
# fuzz/corpus/TARGET (read only); its grown corpus is kept in build-fuzz/TARGET-corpus between runs
# (crash inputs: build-fuzz/crash-*; replay one with `build-fuzz/TARGET_fuzz FILE`).
# TypeScript targets (fast-check, test/fuzz/TARGET.fuzz.test.ts; `npm run build:ts` first): the long
# pass of the target `npm test` runs briefly, for SECONDS (XMR_FUZZ_SECONDS), seed XMR_FUZZ_SEED.
set -e
cd "$(dirname "$0")/.."
target="${1:?usage: sh scripts/fuzz.sh TARGET [SECONDS] (sh scripts/fuzz.sh list names the targets)}"
seconds="${2:-30}"

native_targets="tokenizer tokenizer-spec checkpoint trec-run-native"
ts_targets=$(ls test/fuzz/*.fuzz.test.ts | sed 's#test/fuzz/##; s#\.fuzz\.test\.ts##' | tr '\n' ' ')

if [ "$target" = list ]; then
  echo "native (libFuzzer): $native_targets"
  echo "TypeScript (fast-check): $ts_targets"
  exit 0
fi

for t in $native_targets; do
  if [ "$t" = "$target" ]; then
    mkdir -p "build-fuzz/$target-corpus"
    # Every target links all the pure kernels (native/sources.cjs --kernels, the list the C++ tests
    # build from) rather than a list of its own: a per-target list rotted once, when the TREC reader
    # began to dispatch on common/cpu.cc and only CI's fuzz step failed to link.
    # shellcheck disable=SC2046 # one source per line
    clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
      -Inative/include -Inative/test "native/test/fuzz/${target}_fuzz.cc" $(node native/sources.cjs --kernels) -o "build-fuzz/${target}_fuzz"
    exec "./build-fuzz/${target}_fuzz" "build-fuzz/$target-corpus" "fuzz/corpus/$target" -artifact_prefix=build-fuzz/ \
      -max_total_time="$seconds" -max_len=4096 -print_final_stats=1
  fi
done

for t in $ts_targets; do
  if [ "$t" = "$target" ]; then
    exec env XMR_FUZZ_SECONDS="$seconds" node --test "dist/test/fuzz/$target.fuzz.test.js"
  fi
done

echo "fuzz: no target $target (sh scripts/fuzz.sh list)" >&2
exit 2
