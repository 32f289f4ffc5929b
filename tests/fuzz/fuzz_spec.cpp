// libFuzzer target: bytes → text → parse_json → dlplay::Session(Json), a model JSON or a training
// spec with its data (built-in or inline), as `dl.session(text)` and `dlplay train` take it.
// Within the fuzz budget (fuzz_common.hpp) the session is built and used: info, forward, classify,
// grid, one training step, metrics, evaluation, input gradients, and save → load → same outputs.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  dlplay::Json j;
  if (!fuzz::parse(text, j)) return 0;
  const std::uint32_t seed = static_cast<std::uint32_t>(size);
  try {
    // Parse first (cheap, allocates only what the JSON holds) and size what would be built.
    if (j.is_object() && dlplay::is_training_spec(j)) {
      const dlplay::TrainSpec t = dlplay::parse_training(j);
      if (!fuzz::fits(t.model, fuzz::model_input_of(t), fuzz::spec_examples(j, t))) return 0;
    } else if (j.is_object()) {
      const dlplay::ModelJson m = dlplay::parse_model_json(j);
      const dlplay::Shape in = m.features.empty() ? m.model.input : dlplay::Shape{m.features.size()};
      if (!fuzz::fits(m.model, in, 0)) return 0;
    }
    dlplay::Session s(j);
    fuzz::exercise(s, seed, true);
    fuzz::check_round_trip(s, seed);
  } catch (const dlplay::Error& e) {
    fuzz::rejected(e);
  }
  return 0;
}
