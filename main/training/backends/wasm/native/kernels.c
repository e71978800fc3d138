// SIMD training kernels for the tfjs wasm backend, compiled to a tiny wasm module that imports the
// backend's own memory, so they read and write tensors in place (pointers are heap byte offsets).
// Rules that keep it safe to share that memory: no static data, no libc, no shadow stack (only
// scalar and v128 locals), which scripts/build-wasm-kernels.sh checks after compiling.
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

static inline void zero(float* p, int n) { __builtin_memset(p, 0, (unsigned long)n * 4); }

// dx (NHWC, zeroed here) gets each dy cell added at the first maximum of its pooling window in x,
// the cpu backend's rule (strict >, row-major window order; NaN never wins).
EXPORT(nw_maxpool_grad)
void nw_maxpool_grad(const float* x, const float* dy, float* dx, int n, int h, int w, int c, int oh, int ow,
                     int fh, int fw, int sh, int sw, int dh, int dw, int top, int left) {
  zero(dx, n * h * w * c);
  const v128_t lane = wasm_i32x4_make(0, 1, 2, 3);
  for (int b = 0; b < n; b++)
    for (int y = 0; y < oh; y++)
      for (int xo = 0; xo < ow; xo++) {
        const int y0 = y * sh - top, x0 = xo * sw - left;
        const float* g = dy + ((b * oh + y) * ow + xo) * c;
        int ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          v128_t best = wasm_f32x4_splat(-__builtin_inff());
          v128_t at = wasm_i32x4_splat(-1);
          for (int ky = 0; ky < fh; ky += dh) {
            const int iy = y0 + ky;
            if (iy < 0 || iy >= h) continue;
            for (int kx = 0; kx < fw; kx += dw) {
              const int ix = x0 + kx;
              if (ix < 0 || ix >= w) continue;
              const int idx = ((b * h + iy) * w + ix) * c + ch;
              const v128_t v = wasm_v128_load(x + idx);
              const v128_t gt = wasm_f32x4_gt(v, best);
              best = wasm_v128_bitselect(v, best, gt);
              at = wasm_v128_bitselect(wasm_i32x4_add(wasm_i32x4_splat(idx), lane), at, gt);
            }
          }
          const int a0 = wasm_i32x4_extract_lane(at, 0), a1 = wasm_i32x4_extract_lane(at, 1);
          const int a2 = wasm_i32x4_extract_lane(at, 2), a3 = wasm_i32x4_extract_lane(at, 3);
          if (a0 >= 0) dx[a0] += g[ch];
          if (a1 >= 0) dx[a1] += g[ch + 1];
          if (a2 >= 0) dx[a2] += g[ch + 2];
          if (a3 >= 0) dx[a3] += g[ch + 3];
        }
        for (; ch < c; ch++) {
          float best = -__builtin_inff();
          int at = -1;
          for (int ky = 0; ky < fh; ky += dh) {
            const int iy = y0 + ky;
            if (iy < 0 || iy >= h) continue;
            for (int kx = 0; kx < fw; kx += dw) {
              const int ix = x0 + kx;
              if (ix < 0 || ix >= w) continue;
              const int idx = ((b * h + iy) * w + ix) * c + ch;
              if (x[idx] > best) { best = x[idx]; at = idx; }
            }
          }
          if (at >= 0) dx[at] += g[ch];
        }
      }
}

// Patches of images [b0, b0+nb) of x (NHWC) as rows of cols: [nb*oh*ow, fh*fw*c], taps in the
// padding are 0. Row order matches dy's (b, y, x), column order the filter's (ky, kx, ci).
EXPORT(nw_im2col)
void nw_im2col(const float* x, float* cols, int b0, int nb, int h, int w, int c, int oh, int ow, int fh, int fw,
               int sh, int sw, int dh, int dw, int top, int left) {
  const int k = fh * fw * c;
  float* o = cols;
  for (int b = b0; b < b0 + nb; b++)
    for (int y = 0; y < oh; y++)
      for (int xo = 0; xo < ow; xo++, o += k) {
        float* p = o;
        for (int ky = 0; ky < fh; ky++) {
          const int iy = y * sh + ky * dh - top;
          for (int kx = 0; kx < fw; kx++, p += c) {
            const int ix = xo * sw + kx * dw - left;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) { zero(p, c); continue; }
            const float* src = x + ((b * h + iy) * w + ix) * c;
            for (int i = 0; i < c; i++) p[i] = src[i];
          }
        }
      }
}

// One 4-row block of C[k0..k0+4, n] over m in [m0, m1): C += A^T B, A element (m, k) at
// a[m*sam + k*sak], B row-major with row stride ldb, 8 columns (two vectors) at a time.
static void atb_rows4(float* cc, int ldc, const float* a, int sam, int sak, const float* bm, int ldb, int m0, int m1,
                      int n) {
  int j = 0;
  for (; j + 8 <= n; j += 8) {
    v128_t c00 = wasm_v128_load(cc + j), c01 = wasm_v128_load(cc + j + 4);
    v128_t c10 = wasm_v128_load(cc + ldc + j), c11 = wasm_v128_load(cc + ldc + j + 4);
    v128_t c20 = wasm_v128_load(cc + 2 * ldc + j), c21 = wasm_v128_load(cc + 2 * ldc + j + 4);
    v128_t c30 = wasm_v128_load(cc + 3 * ldc + j), c31 = wasm_v128_load(cc + 3 * ldc + j + 4);
    const float* ap = a + m0 * sam;
    const float* bp = bm + m0 * ldb + j;
    for (int m = m0; m < m1; m++, ap += sam, bp += ldb) {
      const v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
      v128_t av = wasm_f32x4_splat(ap[0]);
      c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(av, b0));
      c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(av, b1));
      av = wasm_f32x4_splat(ap[sak]);
      c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(av, b0));
      c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(av, b1));
      av = wasm_f32x4_splat(ap[2 * sak]);
      c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(av, b0));
      c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(av, b1));
      av = wasm_f32x4_splat(ap[3 * sak]);
      c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(av, b0));
      c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(av, b1));
    }
    wasm_v128_store(cc + j, c00), wasm_v128_store(cc + j + 4, c01);
    wasm_v128_store(cc + ldc + j, c10), wasm_v128_store(cc + ldc + j + 4, c11);
    wasm_v128_store(cc + 2 * ldc + j, c20), wasm_v128_store(cc + 2 * ldc + j + 4, c21);
    wasm_v128_store(cc + 3 * ldc + j, c30), wasm_v128_store(cc + 3 * ldc + j + 4, c31);
  }
  for (; j < n; j++)
    for (int r = 0; r < 4; r++) {
      float s = cc[r * ldc + j];
      for (int m = m0; m < m1; m++) s += a[m * sam + r * sak] * bm[m * ldb + j];
      cc[r * ldc + j] = s;
    }
}

// One row of C (the k remainder), same contract as atb_rows4.
static void atb_row1(float* cc, const float* a, int sam, const float* bm, int ldb, int m0, int m1, int n) {
  int j = 0;
  for (; j + 8 <= n; j += 8) {
    v128_t c0 = wasm_v128_load(cc + j), c1 = wasm_v128_load(cc + j + 4);
    for (int m = m0; m < m1; m++) {
      const v128_t av = wasm_f32x4_splat(a[m * sam]);
      c0 = wasm_f32x4_add(c0, wasm_f32x4_mul(av, wasm_v128_load(bm + m * ldb + j)));
      c1 = wasm_f32x4_add(c1, wasm_f32x4_mul(av, wasm_v128_load(bm + m * ldb + j + 4)));
    }
    wasm_v128_store(cc + j, c0), wasm_v128_store(cc + j + 4, c1);
  }
  for (; j < n; j++) {
    float s = cc[j];
    for (int m = m0; m < m1; m++) s += a[m * sam] * bm[m * ldb + j];
    cc[j] = s;
  }
}

// C[k, n] (row-major, k rows of n) = sum over m of A(m, k) * B[m, n], with A(m, k) at a[m*sam + k*sak]:
// both the filter gradient (A = im2col patches) and a dense layer's weight gradient (A = x) are
// this product. `accumulate` adds to C instead of overwriting it. m is blocked so a block of B
// stays in cache while every row block of C passes over it.
EXPORT(nw_gemm_atb)
void nw_gemm_atb(float* c, const float* a, int sam, int sak, const float* b, int ldb, int k, int m, int n, int accumulate) {
  if (!accumulate) zero(c, k * n);
  const int mb = 256;
  for (int m0 = 0; m0 < m; m0 += mb) {
    const int m1 = m0 + mb < m ? m0 + mb : m;
    int r = 0;
    for (; r + 4 <= k; r += 4) atb_rows4(c + r * n, n, a + r * sak, sam, sak, b, ldb, m0, m1, n);
    for (; r < k; r++) atb_row1(c + r * n, a + r * sak, sam, b, ldb, m0, m1, n);
  }
}

// out[j] = sum over r of x[r*cols + j]: the bias gradient (dy summed over every axis but the last).
EXPORT(nw_sum_rows)
void nw_sum_rows(const float* x, float* out, int rows, int cols) {
  zero(out, cols);
  int j = 0;
  for (; j + 16 <= cols; j += 16) {
    v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
    const float* p = x + j;
    for (int r = 0; r < rows; r++, p += cols) {
      s0 = wasm_f32x4_add(s0, wasm_v128_load(p));
      s1 = wasm_f32x4_add(s1, wasm_v128_load(p + 4));
      s2 = wasm_f32x4_add(s2, wasm_v128_load(p + 8));
      s3 = wasm_f32x4_add(s3, wasm_v128_load(p + 12));
    }
    wasm_v128_store(out + j, s0), wasm_v128_store(out + j + 4, s1);
    wasm_v128_store(out + j + 8, s2), wasm_v128_store(out + j + 12, s3);
  }
  for (; j + 4 <= cols; j += 4) {
    v128_t s = wasm_f32x4_splat(0);
    for (int r = 0; r < rows; r++) s = wasm_f32x4_add(s, wasm_v128_load(x + r * cols + j));
    wasm_v128_store(out + j, s);
  }
  for (; j < cols; j++) {
    float s = 0;
    for (int r = 0; r < rows; r++) s += x[r * cols + j];
    out[j] = s;
  }
}

// One Adam step over n floats in tfjs's operation order (each step rounded to float32, as the
// separate tfjs ops do), writing new value, first and second moments to fresh outputs:
//   m' = m*b1 + g*(1-b1); v' = v*b2 + g*g*(1-b2)
//   value' = (m'/(1-b1^t)) / (sqrt(v'/(1-b2^t)) + eps) * (-lr) + value
EXPORT(nw_adam)
void nw_adam(const float* value, const float* m, const float* v, const float* g, float* out_value, float* out_m,
             float* out_v, int n, float b1, float one_minus_b1, float b2, float one_minus_b2, float one_minus_acc_b1,
             float one_minus_acc_b2, float eps, float neg_lr) {
  const v128_t vb1 = wasm_f32x4_splat(b1), vc1 = wasm_f32x4_splat(one_minus_b1);
  const v128_t vb2 = wasm_f32x4_splat(b2), vc2 = wasm_f32x4_splat(one_minus_b2);
  const v128_t va1 = wasm_f32x4_splat(one_minus_acc_b1), va2 = wasm_f32x4_splat(one_minus_acc_b2);
  const v128_t veps = wasm_f32x4_splat(eps), vlr = wasm_f32x4_splat(neg_lr);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t gi = wasm_v128_load(g + i);
    const v128_t m1 = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), vb1), wasm_f32x4_mul(gi, vc1));
    const v128_t v1 = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), vb2), wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), vc2));
    const v128_t mh = wasm_f32x4_div(m1, va1);
    const v128_t vh = wasm_f32x4_div(v1, va2);
    const v128_t step = wasm_f32x4_mul(wasm_f32x4_div(mh, wasm_f32x4_add(wasm_f32x4_sqrt(vh), veps)), vlr);
    wasm_v128_store(out_value + i, wasm_f32x4_add(step, wasm_v128_load(value + i)));
    wasm_v128_store(out_m + i, m1);
    wasm_v128_store(out_v + i, v1);
  }
  for (; i < n; i++) {
    const float m1 = m[i] * b1 + g[i] * one_minus_b1;
    const float v1 = v[i] * b2 + (g[i] * g[i]) * one_minus_b2;
    const float mh = m1 / one_minus_acc_b1, vh = v1 / one_minus_acc_b2;
    out_value[i] = (mh / (__builtin_sqrtf(vh) + eps)) * neg_lr + value[i];
    out_m[i] = m1;
    out_v[i] = v1;
  }
}
