//! The element-wise arithmetic of the encoder: layer normalisation, softmax and the exact
//! GELU. Written as plain loops over slices with branch-free polynomials (no calls into the
//! C library's `expf`/`erff`, and no `mul_add`, which is a library call on CPUs the build
//! does not assume to have FMA), so the compiler turns them into vector instructions.

use std::f32::consts::LOG2_E;

/// `ln 2` split in two (Cody and Waite): `k · LN2_HI` is exact for the `k` used here.
const LN2_HI: f32 = 355.0 / 512.0;
const LN2_LO: f32 = -2.121_944_4e-4;
/// 1.5 · 2²³: adding it rounds an `f32` of magnitude below 2²² to an integer.
const ROUNDER: f32 = 12_582_912.0;

/// `e^x` for `x ≤ 0`, within a few units in the last place; below -87 it is 0's neighbour
/// `e^-87` (the smallest normal result), which a softmax or a GELU cannot tell from 0.
#[inline]
pub(crate) fn exp_non_positive(x: f32) -> f32 {
    let x = x.clamp(-87.0, 0.0);
    // x = k·ln2 + r with |r| ≤ ln2/2; k is read from the rounded sum's low bits.
    let shifted = x * LOG2_E + ROUNDER;
    let k = shifted - ROUNDER;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // e^r by its Taylor series to r⁶ (error below 2e-7 relative on |r| ≤ 0.35).
    let mut p = 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    // 2^k built from its exponent bits: k ∈ [-126, 0], a normal number.
    let k_bits = shifted.to_bits().wrapping_sub(ROUNDER.to_bits());
    let scale = f32::from_bits(k_bits.wrapping_add(127) << 23);
    p * scale
}

/// `erf(x)` by Abramowitz and Stegun's formula 7.1.26 (absolute error below 1.5e-7, 5e-7 in `f32`).
#[inline]
pub(crate) fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / (0.327_591_1 * a + 1.0);
    let mut p = 1.061_405_4f32;
    p = p * t - 1.453_152;
    p = p * t + 1.421_413_8;
    p = p * t - 0.284_496_74;
    p = p * t + 0.254_829_6;
    let y = 1.0 - p * t * exp_non_positive(-a * a);
    y.copysign(x)
}

/// The exact GELU, `x · Φ(x) = x/2 · (1 + erf(x/√2))`, in place.
pub(crate) fn gelu(values: &mut [f32]) {
    for v in values {
        let x = *v;
        *v = 0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2));
    }
}

/// Softmax of `row`, in place (the exponentials in one loop and the sum in another, so
/// both vectorise).
pub(crate) fn softmax(row: &mut [f32]) {
    let max = lanes(row, f32::NEG_INFINITY, f32::max);
    for v in row.iter_mut() {
        *v = exp_non_positive(*v - max);
    }
    let inverse = 1.0 / sum(row);
    for v in row.iter_mut() {
        *v *= inverse;
    }
}

/// The sum of `values`, in eight running sums (a single one would be added up in order,
/// one value at a time).
pub(crate) fn sum(values: &[f32]) -> f32 {
    lanes(values, 0.0, |a, b| a + b)
}

/// `values` folded by `op` from `start` in eight independent lanes, then the lanes and the
/// remainder folded together.
#[inline]
fn lanes(values: &[f32], start: f32, op: impl Fn(f32, f32) -> f32) -> f32 {
    let mut lane = [start; 8];
    let chunks = values.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (l, v) in lane.iter_mut().zip(chunk) {
            *l = op(*l, *v);
        }
    }
    lane.into_iter().chain(rest.iter().copied()).fold(start, op)
}

/// Layer normalisation of every row of `rows` (rows of `weight.len()` values), in place:
/// each row minus its mean, divided by its standard deviation (`eps` added to the variance),
/// times `weight` plus `bias`.
pub(crate) fn layer_norm(rows: &mut [f32], weight: &[f32], bias: &[f32], eps: f32) {
    let width = weight.len();
    // Widths are a few hundred: exactly representable.
    #[allow(clippy::cast_precision_loss, reason = "the width is a few hundred")]
    let n = width as f32;
    for row in rows.chunks_exact_mut(width) {
        let mean = sum(row) / n;
        let mut squares = [0f32; 8];
        let chunks = row.chunks_exact(8);
        let rest: f32 = chunks
            .remainder()
            .iter()
            .map(|v| (v - mean) * (v - mean))
            .sum();
        for chunk in chunks {
            for (s, v) in squares.iter_mut().zip(chunk) {
                *s += (v - mean) * (v - mean);
            }
        }
        let variance = (sum(&squares) + rest) / n;
        let inverse = 1.0 / (variance + eps).sqrt();
        for ((v, w), b) in row.iter_mut().zip(weight).zip(bias) {
            *v = (*v - mean) * inverse * w + b;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// erf by its Taylor series in f64 (exact to ~1e-9 on |x| ≤ 4).
    fn erf_reference(x: f64) -> f64 {
        let mut term = x;
        let mut sum = x;
        for n in 1..200 {
            let n = f64::from(n);
            term *= -x * x / n;
            sum += term / (2.0 * n + 1.0);
        }
        sum * 2.0 / std::f64::consts::PI.sqrt()
    }

    fn grid(from: f32, to: f32, steps: u16) -> impl Iterator<Item = f32> {
        (0..=steps).map(move |i| from + (to - from) * f32::from(i) / f32::from(steps))
    }

    #[test]
    fn exp_matches_the_library_on_its_range() {
        for x in grid(-87.0, 0.0, 20_000) {
            let want = x.exp();
            let got = exp_non_positive(x);
            assert!(
                ((got - want) / want).abs() < 1e-6,
                "exp({x}) = {got}, want {want}"
            );
        }
        assert_eq!(exp_non_positive(0.0), 1.0);
        assert!(exp_non_positive(-1e9) < 1e-37);
        assert!(exp_non_positive(f32::NEG_INFINITY) < 1e-37);
    }

    #[test]
    fn erf_matches_its_series() {
        for x in grid(-4.0, 4.0, 8_000) {
            let want = erf_reference(f64::from(x));
            let got = f64::from(erf(x));
            assert!((got - want).abs() < 5e-7, "erf({x}) = {got}, want {want}");
        }
        assert_eq!(erf(30.0), 1.0);
        assert_eq!(erf(-30.0), -1.0);
    }

    #[test]
    fn gelu_is_x_times_the_normal_cdf() {
        let mut values = [-3.0, -1.0, 0.0, 0.5, 2.0];
        gelu(&mut values);
        let want = [-0.004_049_71, -0.158_655_26, 0.0, 0.345_731_14, 1.954_499_7];
        for (got, want) in values.iter().zip(want) {
            assert!((got - want).abs() < 1e-6, "{got} vs {want}");
        }
    }

    #[test]
    fn softmax_sums_to_one_and_keeps_the_order() {
        let mut row = [1.0, 2.0, 3.0, -50.0];
        softmax(&mut row);
        assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(row[2] > row[1] && row[1] > row[0] && row[0] > row[3]);
        assert!((row[2] - 0.665_240_94).abs() < 1e-6, "{row:?}");
    }

    #[test]
    fn sums_add_every_value() {
        let values: Vec<f32> = (1..=21u16).map(f32::from).collect();
        assert_eq!(sum(&values), 231.0);
        assert_eq!(sum(&values[..3]), 6.0);
        assert_eq!(sum(&[]), 0.0);
    }

    #[test]
    fn layer_norm_centres_and_scales_each_row() {
        let mut rows = [1.0, 2.0, 3.0, 10.0, 10.0, 10.0];
        layer_norm(&mut rows, &[1.0, 1.0, 2.0], &[0.0, 0.5, 0.0], 1e-12);
        let s = (2.0f32 / 3.0).sqrt();
        let want = [-1.0 / s, 0.5, 2.0 / s, 0.0, 0.5, 0.0];
        for (got, want) in rows.iter().zip(want) {
            assert!((got - want).abs() < 1e-5, "{rows:?}");
        }
    }
}
