// A 2-D GAN (docs/gan.md): a generator MLP from noise z to points of the plane, a discriminator
// MLP from points to the probability that they are real, trained against each other. The
// generator's gradient comes through the discriminator (Model::backward's d_input). Everything the
// gan view shows is computed here: the real samples, the generated points, the generator's
// gradient on them, the discriminator over the plane, both losses and the two terms of V(D, G).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dlplay/model.hpp"
#include "dlplay/optim.hpp"
#include "dlplay/rng.hpp"
#include "dlplay/spec.hpp"

namespace dlplay {

enum class RealKind { ring, gaussians, line, points };
const std::vector<std::string>& real_kinds();  // "ring", "gaussians", "line", "points"

struct RealSpec {
  RealKind kind = RealKind::ring;
  std::size_t n = 512;        // how many real samples
  float noise = 0.05f;        // standard deviation of the Gaussian noise on each sample
  std::size_t modes = 4;      // gaussians: how many
  std::vector<float> points;  // points: x0, y0, x1, y1, … (the student's drawing)
};

struct GanSpec {
  RealSpec real;
  std::size_t noise_dims = 2;  // z is uniform in [−1, 1]^noise_dims
  ModelSpec generator, discriminator;
  OptimizerSpec generator_optimizer, discriminator_optimizer;
  std::size_t k = 1;          // discriminator steps per generator step
  std::size_t batch = 64;     // real and generated examples per step
  std::size_t samples = 256;  // generated points shown (from a fixed z, the same every step)
  std::uint64_t seed = 0;
};

// The plane every view of the GAN uses: [−kPlane, kPlane]² (real distributions lie well inside).
constexpr float kPlane = 1.f;

// Throws Error("<field path>: …") for any invalid field ("generator.layers[1].units: …").
GanSpec parse_gan(const Json& j);
// Applies the fields that may change while training (k, batch, generator_optimizer,
// discriminator_optimizer) onto `spec`; all or nothing.
void parse_gan_settings(const Json& j, GanSpec& spec);
Json gan_settings_to_json(const GanSpec& spec);

// The real samples of a spec: [n, 2], the same for the same spec and seed.
Tensor make_real(const RealSpec& spec, std::uint64_t seed);

// The mean values over a batch (or over the evaluation sets, for metrics()).
struct GanLosses {
  double d_loss = 0;              // −E[log D(x)] − E[log(1 − D(G(z)))]
  double g_loss = 0;              // −E[log D(G(z))], the non-saturating loss G is trained with
  double log_d_real = 0;          // E[log D(x)], the deck's first term
  double log_one_minus_fake = 0;  // E[log(1 − D(G(z)))], the deck's second term
  double value() const { return log_d_real + log_one_minus_fake; }  // V(D, G)
};

class Gan {
 public:
  explicit Gan(const Json& spec) : Gan(parse_gan(spec)) {}
  explicit Gan(GanSpec spec);

  const GanSpec& spec() const { return spec_; }
  void configure(const Json& settings);  // parse_gan_settings, then the optimizers follow

  // One training step: k discriminator updates on fresh real and generated batches, then one
  // generator update. Returns the losses of the step's last batches. Once diverged (a loss or a
  // weight not finite) it changes nothing and returns the losses that diverged.
  GanLosses step();
  std::size_t steps() const { return steps_; }
  bool diverged() const { return diverged_; }

  // On the whole real set and the fixed evaluation noise (what the view draws): no update.
  GanLosses metrics();
  const Tensor& real() const { return real_; }     // [n, 2]
  const Tensor& noise() const { return eval_z_; }  // [samples, noise_dims]
  Tensor generated();                              // G(z) of noise(): [samples, 2]
  // −∂(−log D(G(z)))/∂G(z) for each generated point: where G's loss pushes it. [samples, 2]
  Tensor generator_gradients();
  // D over a res × res grid of the plane, row 0 at y = +kPlane, column 0 at x = −kPlane; each
  // value at the centre of its cell. [res, res]
  Tensor discriminator_grid(std::size_t res);

  // The generator's loss −E[log D(G(z))] for a batch z [N, noise_dims]; with `gradient`, its
  // gradient with respect to G's parameters (through D) is left in generator().params()' grads.
  double generator_loss(const Tensor& z, bool gradient);

  // Everything training continues from (docs/gan.md § Checkpoints): both networks' parameters, both
  // optimizers' state, the batches' random generator, the step count, the divergence flag and the
  // settings in force, as plain JSON (float32 values exactly; NaN as null). restore() takes one of a
  // GAN of the same spec (the same shapes and real samples, else an Error naming the field), all or
  // nothing; training then continues bit for bit.
  Json checkpoint();
  void restore(const Json& checkpoint);

  Model& generator() { return g_; }
  Model& discriminator() { return d_; }

 private:
  void sample_noise(Tensor& z, std::size_t n);
  void discriminator_step(GanLosses& losses);
  bool weights_finite();

  GanSpec spec_;
  Model g_, d_;
  Optimizer g_opt_, d_opt_;
  Rng rng_;
  Tensor real_, eval_z_;
  Tensor z_, x_, targets_, grad_, d_in_;
  std::size_t steps_ = 0;
  bool diverged_ = false;
  GanLosses diverged_losses_;
};

}  // namespace dlplay
