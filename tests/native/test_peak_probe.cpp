// The benchmark's yardstick (kernels/peak.cpp): the probe does the arithmetic it counts.
#include <doctest/doctest.h>

#include <xsimd/xsimd.hpp>

#include "dlplay/kernels.hpp"

using namespace dlplay::kernels;

TEST_CASE("peak probe: rounds of x·m + a on 12 chains of every lane, counted as 2 operations each") {
  const float lanes = static_cast<float>(xsimd::batch<float>::size);
  // No rounds: the chains' starting values, seed + c for c = 0..11, summed over the lanes.
  CHECK(peak_probe(0, 0.5f) == doctest::Approx(lanes * (12 * 0.5f + 66.f)));
  // One round: each chain becomes (seed + c)·0.999 + seed.
  double one = 0;
  for (int c = 0; c < 12; ++c) one += (0.5 + c) * 0.999 + 0.5;
  CHECK(peak_probe(1, 0.5f) == doctest::Approx(lanes * one).epsilon(1e-5));
  CHECK(peak_probe_flops(1000) == static_cast<std::size_t>(1000 * 12 * 2 * lanes));
}
