#include "dlplay/rng.hpp"

#include <cmath>

namespace dlplay {

// PCG32 (XSH-RR): small, fast and the same everywhere.
Rng::Rng(std::uint64_t seed) : state_(0) {
  next_u32();
  state_ += seed + 0x853c49e6748fea9bULL;
  next_u32();
}

std::uint32_t Rng::next_u32() {
  std::uint64_t old = state_;
  state_ = old * 6364136223846793005ULL + 1442695040888963407ULL;
  auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
  auto rot = static_cast<std::uint32_t>(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
}

// PCG's jump ahead (O'Neill, pcg_advance_lcg_64): the LCG's step composed `draws` times by squaring.
void Rng::advance(std::uint64_t draws) {
  std::uint64_t mult = 6364136223846793005ULL, plus = 1442695040888963407ULL;
  std::uint64_t acc_mult = 1, acc_plus = 0;
  for (; draws > 0; draws >>= 1) {
    if (draws & 1) {
      acc_mult *= mult;
      acc_plus = acc_plus * mult + plus;
    }
    plus = (mult + 1) * plus;
    mult *= mult;
  }
  state_ = acc_mult * state_ + acc_plus;
}

float Rng::uniform() { return static_cast<float>(next_u32() >> 8) * (1.0f / 16777216.0f); }

float Rng::uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

// Box–Muller in double; rounding to float hides last-bit differences between libm's.
float Rng::normal(float mean, float stddev) {
  double z;
  if (has_spare_) {
    z = spare_;
    has_spare_ = false;
  } else {
    double u1 = (static_cast<double>(next_u32()) + 1.0) / 4294967296.0;  // (0, 1]
    double u2 = static_cast<double>(next_u32()) / 4294967296.0;
    double r = std::sqrt(-2.0 * std::log(u1));
    z = r * std::cos(6.283185307179586 * u2);
    spare_ = r * std::sin(6.283185307179586 * u2);
    has_spare_ = true;
  }
  return static_cast<float>(mean + stddev * z);
}

std::size_t Rng::below(std::size_t n) {
  // Lemire's multiply-shift with rejection: unbiased.
  auto bound = static_cast<std::uint32_t>(n);
  std::uint64_t m = static_cast<std::uint64_t>(next_u32()) * bound;
  auto low = static_cast<std::uint32_t>(m);
  if (low < bound) {
    std::uint32_t threshold = (0u - bound) % bound;
    while (low < threshold) {
      m = static_cast<std::uint64_t>(next_u32()) * bound;
      low = static_cast<std::uint32_t>(m);
    }
  }
  return static_cast<std::size_t>(m >> 32);
}

}  // namespace dlplay
