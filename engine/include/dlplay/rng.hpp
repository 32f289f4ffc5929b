// A seeded random generator whose draws are the same on every platform (native and wasm):
// it does its own integer arithmetic instead of relying on std:: distributions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dlplay {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0);
  // Everything the next draws depend on, for checkpoints: set_state(state()) changes nothing.
  struct State {
    std::uint64_t state = 0;
    bool has_spare = false;  // normal() keeps Box–Muller's second value for the next call
    double spare = 0;
  };
  State state() const { return {state_, has_spare_, spare_}; }
  void set_state(const State& s) {
    state_ = s.state;
    has_spare_ = s.has_spare;
    spare_ = s.has_spare ? s.spare : 0;
  }
  std::uint32_t next_u32();
  // As if next_u32() had been called `draws` times (uniform() is one draw), in O(log draws).
  void advance(std::uint64_t draws);
  float uniform();                    // [0, 1)
  float uniform(float lo, float hi);  // [lo, hi)
  float normal(float mean = 0.f, float stddev = 1.f);
  std::size_t below(std::size_t n);  // [0, n), n > 0
  template <class It>
  void shuffle(It first, It last) {  // Fisher–Yates
    for (auto n = static_cast<std::size_t>(last - first); n > 1; --n) {
      std::size_t j = below(n);
      auto tmp = first[n - 1];
      first[n - 1] = first[j];
      first[j] = tmp;
    }
  }

 private:
  std::uint64_t state_;
  bool has_spare_ = false;
  double spare_ = 0;
};

}  // namespace dlplay
