// Conversions between JavaScript values and engine types, for the bindings (bindings.cpp,
// testing.cpp): typed-array copies, shapes, and errors returned as JavaScript Error values.
#pragma once

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "dlplay/dlplay.hpp"

namespace dlplay::js {

using emscripten::val;

// Runs f, turning any C++ exception into a returned JavaScript Error (why, at the top of bindings.cpp).
template <class F>
val guarded(F&& f) {
  std::string message;
  try {
    return f();
  } catch (const Json::exception& e) {
    message = clean_json_message(e.what());
  } catch (const std::bad_alloc&) {
    message = "out of memory";
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {
    message = "unexpected internal error";
  }
  return val::global("Error").new_(val(message));
}

inline val float32_copy(const float* data, std::size_t n) {
  return val::global("Float32Array").new_(emscripten::typed_memory_view(n, data));
}

inline val uint32_copy(const std::vector<std::uint32_t>& v) {
  return val::global("Uint32Array").new_(emscripten::typed_memory_view(v.size(), v.data()));
}

inline val int32_copy(const std::vector<std::int32_t>& v) {
  return val::global("Int32Array").new_(emscripten::typed_memory_view(v.size(), v.data()));
}

inline val shape_array(const Shape& s) {
  val a = val::array();
  for (std::size_t i = 0; i < s.size(); ++i) a.set(i, val(static_cast<double>(s[i])));
  return a;
}

// A JS Float32Array (or anything Float32Array.prototype.set accepts) copied into `t`, which
// already has its shape.
inline void copy_in(const val& source, Tensor& t) {
  val(emscripten::typed_memory_view(t.size(), t.data())).call<void>("set", source);
}

}  // namespace dlplay::js
