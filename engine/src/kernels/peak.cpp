// The machine's arithmetic peak with this build's SIMD (the benchmark's yardstick, not used in
// training): independent multiply and add chains on xsimd batches, as many as keep every unit busy.
#include <xsimd/xsimd.hpp>

#include "dlplay/kernels.hpp"

namespace dlplay::kernels {
namespace {

using batch = xsimd::batch<float>;
constexpr std::size_t kChains = 12;  // independent chains: enough to keep every unit busy

}  // namespace

float peak_probe(std::size_t rounds, float seed) {
  // x ← x·m + a keeps each chain finite (|m| < 1) and dependent on the last round.
  const batch m(0.999f), a(seed);
  batch acc[kChains];
  for (std::size_t c = 0; c < kChains; ++c) acc[c] = batch(seed + static_cast<float>(c));
  for (std::size_t r = 0; r < rounds; ++r)
    for (std::size_t c = 0; c < kChains; ++c) acc[c] = acc[c] * m + a;
  batch sum(0.f);
  for (std::size_t c = 0; c < kChains; ++c) sum += acc[c];
  return xsimd::hadd(sum);
}

std::size_t peak_probe_flops(std::size_t rounds) { return rounds * kChains * 2 * batch::size; }  // mul + add

}  // namespace dlplay::kernels
