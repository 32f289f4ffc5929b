// The testing entry's hooks (wasm/testing.js, 'dlplay/testing'), kept off the public API: heap
// figures for leak tests and the engine's GEMM timed for the benchmark.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <vector>

#include "convert.hpp"

namespace {

using emscripten::val;

// Heap figures for leak tests: the wasm memory's size, and the bytes malloc has handed out.
val memory() {
  struct mallinfo mi = mallinfo();
  val r = val::object();
  r.set("heapSize", val(static_cast<double>(emscripten_get_heap_size())));
  r.set("allocated", val(static_cast<double>(mi.uordblks)));
  return r;
}

// For the benchmark: `reps` products C = A·B of n×n matrices through the engine's GEMM; returns the
// seconds the products took (filling A and B is not timed).
double bench_gemm(unsigned n, unsigned reps) {
  std::vector<float> a(std::size_t{n} * n), b(a.size()), c(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = static_cast<float>(i % 17) / 17.f - 0.5f;
    b[i] = static_cast<float>(i % 13) / 13.f - 0.5f;
  }
  const double t0 = emscripten_get_now();
  for (unsigned r = 0; r < reps; ++r)
    dlplay::kernels::gemm(false, false, n, n, n, 1.f, a.data(), n, b.data(), n, 0.f, c.data(), n);
  return (emscripten_get_now() - t0) / 1000.0;
}

// For the benchmark's "% of peak": {seconds, flops} of `rounds` rounds of the SIMD peak probe.
emscripten::val bench_peak(unsigned rounds) {
  const double t0 = emscripten_get_now();
  const float r = dlplay::kernels::peak_probe(rounds, static_cast<float>(rounds % 7) * 0.1f);
  const double seconds = (emscripten_get_now() - t0) / 1000.0;
  emscripten::val out = emscripten::val::object();
  out.set("seconds", seconds);
  out.set("flops", static_cast<double>(dlplay::kernels::peak_probe_flops(rounds)));
  out.set("result", r);
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(dlplay_testing) {
  emscripten::function("memory", &memory);
  emscripten::function("benchGemm", &bench_gemm);
  emscripten::function("benchPeak", &bench_peak);
}
