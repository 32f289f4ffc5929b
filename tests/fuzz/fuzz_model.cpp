// libFuzzer target: the model loader. A saved model (dlplay-model JSON with every weight, as
// Session::to_json and the pages' "Save model" write it; seeds from tests/fixtures/) → Session →
// forward, classify, the PyTorch export, and save → load → the same outputs to the last bit.
// Training specs are fuzz_spec's: here they are skipped.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  dlplay::Json j;
  if (!fuzz::parse(text, j)) return 0;
  if (j.is_object() && dlplay::is_training_spec(j)) return 0;
  const std::uint32_t seed = static_cast<std::uint32_t>(size);
  try {
    if (j.is_object()) {
      const dlplay::ModelJson m = dlplay::parse_model_json(j);
      const dlplay::Shape in = m.features.empty() ? m.model.input : dlplay::Shape{m.features.size()};
      if (!fuzz::fits(m.model, in, 0)) return 0;
    }
    dlplay::Session s(j);
    fuzz::exercise(s, seed, false);
    if (s.trainable()) fuzz::finding("model", "a model alone is trainable");
    const std::string py = s.to_pytorch();
    if (py.empty()) fuzz::finding("to_pytorch", "empty script");
    fuzz::check_round_trip(s, seed);
  } catch (const dlplay::Error& e) {
    fuzz::rejected(e);
  }
  return 0;
}
