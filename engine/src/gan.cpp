// Training the 2-D GAN (docs/gan.md). D maximises E[log D(x)] + E[log(1 − D(G(z)))]; G minimises
// the non-saturating −E[log D(G(z))] (Goodfellow et al. 2014, §3), whose gradient reaches G's
// parameters through D: D.backward gives dL/d(G(z)) as its d_input, G.backward takes it from there.
#include "dlplay/gan.hpp"

#include <algorithm>
#include <cmath>

#include "dlplay/loss.hpp"

namespace dlplay {
namespace {

constexpr float kTiny = 1e-7f;  // as the loss clamps probabilities (loss.cpp)

double log_clamped(float p) { return std::log(static_cast<double>(std::clamp(p, kTiny, 1.f - kTiny))); }
double log_one_minus_clamped(float p) { return std::log(1.0 - std::clamp(p, kTiny, 1.f - kTiny)); }

bool finite(const GanLosses& l) {
  return std::isfinite(l.d_loss) && std::isfinite(l.g_loss) && std::isfinite(l.log_d_real) &&
         std::isfinite(l.log_one_minus_fake);
}

}  // namespace

Gan::Gan(GanSpec spec)
    : spec_(std::move(spec)),
      g_(spec_.generator),
      d_(spec_.discriminator),
      g_opt_(spec_.generator_optimizer, Regularization::none, 0.f),
      d_opt_(spec_.discriminator_optimizer, Regularization::none, 0.f),
      rng_(spec_.seed),
      real_(make_real(spec_.real, spec_.seed)) {
  Rng eval(spec_.seed ^ 0xe7a1e7a1ULL);  // the fixed noise of the points shown, apart from training's
  eval_z_ = Tensor::from_shape({spec_.samples, spec_.noise_dims});
  for (float& v : eval_z_) v = eval.uniform(-1.f, 1.f);
}

void Gan::configure(const Json& settings) {
  parse_gan_settings(settings, spec_);
  g_opt_.set(spec_.generator_optimizer, Regularization::none, 0.f);
  d_opt_.set(spec_.discriminator_optimizer, Regularization::none, 0.f);
}

void Gan::sample_noise(Tensor& z, std::size_t n) {
  ensure_shape(z, {n, spec_.noise_dims});
  for (float& v : z) v = rng_.uniform(-1.f, 1.f);
}

// One update of D on `batch` real samples (drawn with replacement) and as many generated ones:
// its loss −E[log D(x)] − E[log(1 − D(G(z)))] is twice the mean binary cross-entropy over both
// halves, real labelled 1 and generated 0.
void Gan::discriminator_step(GanLosses& losses) {
  const std::size_t b = spec_.batch, n = real_.shape()[0];
  sample_noise(z_, b);
  const Tensor& fake = g_.forward(z_, true);
  ensure_shape(x_, {2 * b, 2});
  ensure_shape(targets_, {2 * b});
  for (std::size_t i = 0; i < b; ++i) {
    const std::size_t r = rng_.below(n);
    x_(i, 0) = real_(r, 0);
    x_(i, 1) = real_(r, 1);
    x_(b + i, 0) = fake(i, 0);
    x_(b + i, 1) = fake(i, 1);
    targets_(i) = 1.f;
    targets_(b + i) = 0.f;
  }
  const Tensor& p = d_.forward(x_, true);
  loss_and_gradient(LossKind::cross_entropy, p, nullptr, targets_, grad_);
  grad_ *= 2.f;
  d_.backward(grad_);
  d_opt_.step(d_.params());
  double real_sum = 0, fake_sum = 0;
  for (std::size_t i = 0; i < b; ++i) {
    real_sum += log_clamped(p(i, 0));
    fake_sum += log_one_minus_clamped(p(b + i, 0));
  }
  losses.log_d_real = real_sum / static_cast<double>(b);
  losses.log_one_minus_fake = fake_sum / static_cast<double>(b);
  losses.d_loss = -losses.value();
}

double Gan::generator_loss(const Tensor& z, bool gradient) {
  const Tensor& fake = g_.forward(z, gradient);
  const Tensor& p = d_.forward(fake, false);
  const std::size_t n = p.shape()[0];
  ensure_shape(targets_, {n});
  std::fill(targets_.begin(), targets_.end(), 1.f);
  double loss;
  if (gradient) {
    loss = loss_and_gradient(LossKind::cross_entropy, p, nullptr, targets_, grad_);
    d_.backward(grad_, false, &d_in_);  // D's own gradients are left unused: only G is updated here
    g_.backward(d_in_);
  } else {
    loss = loss_value(LossKind::cross_entropy, p, nullptr, targets_);
  }
  return loss;
}

bool Gan::weights_finite() {
  for (Model* m : {&g_, &d_})
    for (const Param& p : m->params())
      for (float v : *p.value)
        if (!std::isfinite(v)) return false;
  return true;
}

GanLosses Gan::step() {
  if (diverged_) return diverged_losses_;
  GanLosses losses;
  for (std::size_t i = 0; i < spec_.k; ++i) discriminator_step(losses);
  Tensor z;
  sample_noise(z, spec_.batch);
  losses.g_loss = generator_loss(z, true);
  g_opt_.step(g_.params());
  ++steps_;
  if (!finite(losses) || !weights_finite()) {
    diverged_ = true;
    diverged_losses_ = losses;
  }
  return losses;
}

GanLosses Gan::metrics() {
  GanLosses l;
  const Tensor& pr = d_.forward(real_, false);
  double sum = 0;
  for (std::size_t i = 0; i < pr.shape()[0]; ++i) sum += log_clamped(pr(i, 0));
  l.log_d_real = sum / static_cast<double>(pr.shape()[0]);
  const Tensor& fake = g_.forward(eval_z_, false);
  const Tensor& pf = d_.forward(fake, false);
  double fake_sum = 0, g_sum = 0;
  for (std::size_t i = 0; i < pf.shape()[0]; ++i) {
    fake_sum += log_one_minus_clamped(pf(i, 0));
    g_sum -= log_clamped(pf(i, 0));
  }
  l.log_one_minus_fake = fake_sum / static_cast<double>(pf.shape()[0]);
  l.g_loss = g_sum / static_cast<double>(pf.shape()[0]);
  l.d_loss = -l.value();
  return l;
}

Tensor Gan::generated() { return g_.forward(eval_z_, false); }

Tensor Gan::generator_gradients() {
  const Tensor fake = g_.forward(eval_z_, false);
  const Tensor& p = d_.forward(fake, false);
  const std::size_t n = p.shape()[0];
  ensure_shape(targets_, {n});
  std::fill(targets_.begin(), targets_.end(), 1.f);
  loss_and_gradient(LossKind::cross_entropy, p, nullptr, targets_, grad_);
  grad_ *= static_cast<float>(n);  // each point's own −log D, not its share of the mean
  d_.backward(grad_, false, &d_in_);
  return -d_in_;
}

Tensor Gan::discriminator_grid(std::size_t res) {
  if (res < 1 || res > 256)
    throw Error("res: expected a whole number from 1 to 256, got " + std::to_string(res));
  Tensor grid = Tensor::from_shape({res * res, 2});
  const float cell = 2 * kPlane / static_cast<float>(res);
  for (std::size_t r = 0; r < res; ++r)
    for (std::size_t c = 0; c < res; ++c) {
      grid(r * res + c, 0) = -kPlane + (static_cast<float>(c) + 0.5f) * cell;
      grid(r * res + c, 1) = kPlane - (static_cast<float>(r) + 0.5f) * cell;
    }
  Tensor out = d_.forward(grid, false);
  out.reshape({res, res});
  return out;
}

}  // namespace dlplay
