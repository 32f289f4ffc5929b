// The engine's benchmark workloads, run by `dlplay bench`.
#pragma once

#include "dlplay/spec.hpp"

namespace dlplay::bench {

// GEMM throughput at n = 64, 128, 256, 512 (GFLOP/s) and training throughput of three networks:
//   w1: the playground's 2-8-8-1 tanh MLP on the circle (steps/s),
//   w2: a 784-128-64-10 ReLU MLP on MNIST-shaped random data (examples/s),
//   w3: ConvNetJS's MNIST CNN on 24×24 random images (examples/s).
// Each workload is warmed up, then timed over several windows; the result holds per workload
// {name, unit, median, min, max, runs}. `quick` keeps the whole run to a few seconds (≈ 25 s otherwise).
Json run_benchmarks(bool quick);

}  // namespace dlplay::bench
