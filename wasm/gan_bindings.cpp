// Embind bindings of the 2-D GAN (engine/include/dlplay/gan.hpp), wrapped by wasm/gan.js. Marshalling
// only: every number is dlplay::Gan's. As in bindings.cpp, errors are returned as JavaScript Error
// values (never thrown through wasm frames) and tensors come back as fresh typed-array copies.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "convert.hpp"
#include "dlplay/gan.hpp"

namespace {

using dlplay::Error;
using dlplay::Json;
using emscripten::val;
using namespace dlplay::js;  // guarded, float32_copy

val float64_copy(const std::vector<double>& v) {
  return val::global("Float64Array").new_(emscripten::typed_memory_view(v.size(), v.data()));
}

void push(std::vector<double>& out, const dlplay::GanLosses& l) {
  out.insert(out.end(), {l.d_loss, l.g_loss, l.log_d_real, l.log_one_minus_fake, l.value()});
}

class Gan {
 public:
  val load(const std::string& text) {
    return guarded([&] {
      gan_ = std::make_unique<dlplay::Gan>(dlplay::parse_json(text, "gan"));
      return val::undefined();
    });
  }

  // The spec as the engine reads it, the settings in force, the step count and divergence.
  val info() {
    return guarded([&] {
      dlplay::Gan& g = gan();
      const dlplay::GanSpec& s = g.spec();
      Json j = dlplay::gan_settings_to_json(s);
      j["steps"] = g.steps();
      j["diverged"] = g.diverged();
      j["noise_dims"] = s.noise_dims;
      j["samples"] = s.samples;
      j["real"] = {{"name", dlplay::real_kinds().at(static_cast<std::size_t>(s.real.kind))},
                   {"n", s.real.n},
                   {"noise", s.real.noise}};
      j["generator"] = g.generator().to_json();
      j["discriminator"] = g.discriminator().to_json();
      j["generator_parameters"] = g.generator().param_count();
      j["discriminator_parameters"] = g.discriminator().param_count();
      return val(j.dump());
    });
  }

  val configure(const std::string& text) {
    return guarded([&] {
      gan().configure(dlplay::parse_json(text, "settings"));
      return val::undefined();
    });
  }

  // Up to n steps (fewer once diverged): five numbers per step taken (d_loss, g_loss, the two terms, V), end
  // to end.
  val step(unsigned n) {
    return guarded([&] {
      if (n < 1 || n > 100000) throw Error("steps: expected a whole number from 1 to 100000");
      dlplay::Gan& g = gan();
      std::vector<double> out;
      for (unsigned i = 0; i < n && !g.diverged(); ++i) push(out, g.step());
      return float64_copy(out);
    });
  }

  // [steps taken, 1 when diverged else 0]: cheap, for every frame.
  val progress() {
    return guarded([&] {
      dlplay::Gan& g = gan();
      return float64_copy({static_cast<double>(g.steps()), g.diverged() ? 1.0 : 0.0});
    });
  }

  val metrics() {
    return guarded([&] {
      std::vector<double> out;
      push(out, gan().metrics());
      return float64_copy(out);
    });
  }

  // Gan::checkpoint() as JSON text, and back.
  val checkpoint() {
    return guarded([&] { return val(gan().checkpoint().dump()); });
  }
  val restore(const std::string& text) {
    return guarded([&] {
      gan().restore(dlplay::parse_json(text, "checkpoint"));
      return val::undefined();
    });
  }

  val real() {
    return guarded([&] { return copy(gan().real()); });
  }
  val noise() {
    return guarded([&] { return copy(gan().noise()); });
  }
  val generated() {
    return guarded([&] { return copy(gan().generated()); });
  }
  val gradients() {
    return guarded([&] { return copy(gan().generator_gradients()); });
  }
  val grid(unsigned res) {
    return guarded([&] { return copy(gan().discriminator_grid(res)); });
  }

 private:
  dlplay::Gan& gan() {
    if (!gan_) throw Error("gan: not loaded");
    return *gan_;
  }
  static val copy(const dlplay::Tensor& t) { return float32_copy(t.data(), t.size()); }

  std::unique_ptr<dlplay::Gan> gan_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(dlplay_gan) {
  emscripten::class_<Gan>("Gan")
      .constructor<>()
      .function("load", &Gan::load)
      .function("info", &Gan::info)
      .function("configure", &Gan::configure)
      .function("step", &Gan::step)
      .function("progress", &Gan::progress)
      .function("metrics", &Gan::metrics)
      .function("checkpoint", &Gan::checkpoint)
      .function("restore", &Gan::restore)
      .function("real", &Gan::real)
      .function("noise", &Gan::noise)
      .function("generated", &Gan::generated)
      .function("gradients", &Gan::gradients)
      .function("grid", &Gan::grid);
}
