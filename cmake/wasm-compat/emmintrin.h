/* Shadows Emscripten 3.1.6's emmintrin.h: its _mm_cvt(t)ps_epi32 are scalar loops of lrint(), which
   make xsimd's exp/tanh/sigmoid slower than scalar code. Only the wasm build sees this directory. */
#ifndef DLPLAY_FASTCVT_EMMINTRIN_H
#define DLPLAY_FASTCVT_EMMINTRIN_H
#define _mm_cvttps_epi32 _mm_cvttps_epi32_emscripten_scalar
#define _mm_cvtps_epi32 _mm_cvtps_epi32_emscripten_scalar
#include_next <emmintrin.h>
#undef _mm_cvttps_epi32
#undef _mm_cvtps_epi32
static __inline__ __m128i __attribute__((__always_inline__, __nodebug__)) _mm_cvttps_epi32(__m128 __a) {
  return (__m128i)wasm_i32x4_trunc_sat_f32x4((v128_t)__a);
}
static __inline__ __m128i __attribute__((__always_inline__, __nodebug__)) _mm_cvtps_epi32(__m128 __a) {
  return (__m128i)wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest((v128_t)__a));
}
#endif
