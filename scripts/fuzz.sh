#!/usr/bin/env bash
# The libFuzzer targets of tests/fuzz under ASan + UBSan (docs/fuzzing.md): builds build/fuzz
# with clang, then fuzzes each target named (spec, data, model; all when none) one after another.
#
#   scripts/fuzz.sh                      10 s per target from its seed corpus (what npm test runs)
#   scripts/fuzz.sh -t 600 spec          600 s of fuzz_spec
#   scripts/fuzz.sh -r 1000000 data      a million inputs of fuzz_data
#   scripts/fuzz.sh build                builds only
#   scripts/fuzz.sh spec -- -jobs=2      anything after -- goes to libFuzzer
#
# Each run starts from tests/fuzz/<target>/ (the seeds, never written) and a working corpus in
# $FUZZ_OUT/corpus/<target>/ (FUZZ_OUT: build/fuzz), emptied first unless FUZZ_KEEP_CORPUS=1.
# Any finding — a crash, an
# exception other than dlplay::Error, a sanitizer report, a leak, an input slower than 5 s, more
# than 2 GB — stops that target: the input is kept in $FUZZ_OUT/artifacts/<target>/, the end of
# the log is printed and the script exits non-zero. FUZZ_JOBS sets the build's parallelism (2).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=10 runs="" targets=() extra=()
while (($#)); do
  case "$1" in
    -t) seconds="$2" runs="" && shift 2 ;;
    -r) runs="$2" seconds="" && shift 2 ;;
    --) shift && extra=("$@") && break ;;
    build | spec | data | model) targets+=("$1") && shift ;;
    *) echo "fuzz: unknown argument '$1' (see the top of scripts/fuzz.sh)" >&2 && exit 2 ;;
  esac
done
((${#targets[@]})) || targets=(spec data model)

cxx=$(command -v clang++-14 || command -v clang++ || true)
[ -n "$cxx" ] || { echo "fuzz: clang++ is missing: run scripts/setup.sh" >&2 && exit 2; }
dir=build/fuzz
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S . -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Debug \
    "-DCMAKE_CXX_FLAGS_DEBUG=-g -O1" -DDLPLAY_SANITIZE=ON -DDLPLAY_FUZZ=ON >/dev/null
fi
cmake --build "$dir" --target fuzz_spec fuzz_data fuzz_model -j "${FUZZ_JOBS:-2}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:malloc_context_size=10}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
for t in "${targets[@]}"; do
  [ "$t" = build ] && continue
  out="${FUZZ_OUT:-$dir}"
  corpus="$out/corpus/$t" artifacts="$out/artifacts/$t/" log="$out/logs/$t.log"
  [ "${FUZZ_KEEP_CORPUS:-0}" = 1 ] || rm -rf "$corpus"
  mkdir -p "$corpus" "$artifacts" "$out/logs"
  args=(-timeout=5 -rss_limit_mb=2048 -print_final_stats=1 "-artifact_prefix=$artifacts")
  if [ "$t" = data ]; then args+=(-max_len=4096); else args+=(-max_len=8192 -dict=tests/fuzz/spec.dict); fi
  if [ -n "$runs" ]; then args+=("-runs=$runs"); else args+=("-max_total_time=$seconds"); fi
  start=$(date +%s)
  if "$dir/tests/fuzz/fuzz_$t" "${args[@]}" "${extra[@]}" "$corpus" "tests/fuzz/$t" >"$log" 2>&1; then
    wall=$(($(date +%s) - start))
    done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
    stat() { grep -E "^stat::$1:" "$log" | awk '{print $2}'; }
    printf 'fuzz_%s: %s inputs in %s s (%s/s), %s, peak RSS %s MB, no finding\n' "$t" \
      "$(stat number_of_executed_units)" "$wall" "$(stat average_exec_per_sec)" \
      "$(sed -E 's/^#[0-9]+[[:space:]]+DONE[[:space:]]+//; s/[[:space:]]+exec\/s.*//' <<<"$done_line")" "$(stat peak_rss_mb)"
  else
    status=1
    echo "fuzz_$t: FINDING (log: $log, input kept in $artifacts):" >&2
    tail -n 60 "$log" >&2
  fi
done
exit "$status"
