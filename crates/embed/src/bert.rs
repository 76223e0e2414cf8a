//! The BERT encoder of all-MiniLM-L6-v2, one sequence at a time: token, position and type
//! embeddings, then per layer self-attention and a GELU feed-forward block, each followed by
//! a residual sum and layer normalisation; the result is mean-pooled and L2-normalised.
//!
//! A sequence is never padded (its attention needs no mask), query, key and value are one
//! matrix product, residuals are summed inside the products, and the element-wise steps are
//! vectorised loops ([`crate::math`]). The matrix products are `matrixmultiply`'s (through
//! `ndarray`), which picks AVX2/FMA kernels at run time.

use std::collections::HashMap;

use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView2, ArrayViewMut2, Axis, Slice};
use serde::Deserialize;

use crate::EmbedError;
use crate::math::{gelu, layer_norm, softmax};
use crate::weights::Tensor;

/// The fields of the model's `config.json` the encoder uses.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Config {
    hidden_size: usize,
    num_attention_heads: usize,
    intermediate_size: usize,
    num_hidden_layers: usize,
    layer_norm_eps: f64,
    max_position_embeddings: usize,
    vocab_size: usize,
    #[serde(default = "gelu_name")]
    hidden_act: String,
}

fn gelu_name() -> String {
    "gelu".into()
}

/// A dense layer: `y = x · weightᵀ + bias`.
struct Linear {
    /// `[out, in]`, as PyTorch stores it.
    weight: Array2<f32>,
    bias: Vec<f32>,
}

impl Linear {
    /// `out = input · weightᵀ + bias (+ residual)`; `out` is `[rows, out]`.
    fn apply(
        &self,
        input: ArrayView2<'_, f32>,
        residual: Option<&[f32]>,
        out: &mut [f32],
    ) -> Result<(), EmbedError> {
        for row in out.chunks_exact_mut(self.bias.len()) {
            row.copy_from_slice(&self.bias);
        }
        if let Some(residual) = residual {
            for (o, r) in out.iter_mut().zip(residual) {
                *o += r;
            }
        }
        let mut out = matrix_mut(out, input.nrows(), self.bias.len())?;
        general_mat_mul(1.0, &input, &self.weight.t(), 1.0, &mut out);
        Ok(())
    }
}

/// A layer normalisation's scale and shift.
struct Norm {
    weight: Vec<f32>,
    bias: Vec<f32>,
}

struct Layer {
    /// Query, key and value stacked: `[3 · hidden, hidden]`.
    qkv: Linear,
    attention_out: Linear,
    attention_norm: Norm,
    up: Linear,
    down: Linear,
    output_norm: Norm,
}

/// The loaded encoder.
pub(crate) struct Encoder {
    word: Vec<f32>,
    position: Vec<f32>,
    token_type: Vec<f32>,
    norm: Norm,
    layers: Vec<Layer>,
    hidden: usize,
    heads: usize,
    intermediate: usize,
    vocab: usize,
    max_positions: usize,
    eps: f32,
}

/// A row-major `[rows, cols]` view of the first `rows · cols` values of `values`.
fn matrix(values: &[f32], rows: usize, cols: usize) -> Result<ArrayView2<'_, f32>, EmbedError> {
    let values = values.get(..rows * cols).ok_or_else(|| {
        EmbedError::Model(format!("{} values for [{rows}, {cols}]", values.len()))
    })?;
    ArrayView2::from_shape((rows, cols), values).map_err(|e| EmbedError::Model(e.to_string()))
}

/// `count` columns from `first`.
fn columns(first: usize, count: usize) -> Slice {
    Slice::from(first..first + count)
}

/// The mutable counterpart of [`matrix`].
fn matrix_mut(
    values: &mut [f32],
    rows: usize,
    cols: usize,
) -> Result<ArrayViewMut2<'_, f32>, EmbedError> {
    let len = values.len();
    let values = values
        .get_mut(..rows * cols)
        .ok_or_else(|| EmbedError::Model(format!("{len} values for [{rows}, {cols}]")))?;
    ArrayViewMut2::from_shape((rows, cols), values).map_err(|e| EmbedError::Model(e.to_string()))
}

/// The model's tensors, taken by name with their shapes checked.
struct Tensors {
    by_name: HashMap<String, Tensor>,
    prefix: &'static str,
}

impl Tensors {
    fn take(&mut self, name: &str, shape: &[usize]) -> Result<Vec<f32>, String> {
        let full = format!("{}{name}", self.prefix);
        let tensor = self
            .by_name
            .remove(&full)
            .ok_or_else(|| format!("tensor `{full}` is missing"))?;
        if tensor.shape != shape {
            return Err(format!(
                "tensor `{full}` has shape {:?}, expected {shape:?}",
                tensor.shape
            ));
        }
        Ok(tensor.values)
    }

    fn linear(&mut self, name: &str, out: usize, input: usize) -> Result<Linear, String> {
        let weight = self.take(&format!("{name}.weight"), &[out, input])?;
        let bias = self.take(&format!("{name}.bias"), &[out])?;
        let weight = Array2::from_shape_vec((out, input), weight).map_err(|e| e.to_string())?;
        Ok(Linear { weight, bias })
    }

    fn norm(&mut self, name: &str, width: usize) -> Result<Norm, String> {
        Ok(Norm {
            weight: self.take(&format!("{name}.weight"), &[width])?,
            bias: self.take(&format!("{name}.bias"), &[width])?,
        })
    }

    /// Query, key and value of layer `i` as one `[3h, h]` layer.
    fn qkv(&mut self, layer: &str, hidden: usize) -> Result<Linear, String> {
        let mut weight = Vec::with_capacity(3 * hidden * hidden);
        let mut bias = Vec::with_capacity(3 * hidden);
        for part in ["query", "key", "value"] {
            let name = format!("{layer}.attention.self.{part}");
            weight.extend(self.take(&format!("{name}.weight"), &[hidden, hidden])?);
            bias.extend(self.take(&format!("{name}.bias"), &[hidden])?);
        }
        let weight =
            Array2::from_shape_vec((3 * hidden, hidden), weight).map_err(|e| e.to_string())?;
        Ok(Linear { weight, bias })
    }
}

impl Encoder {
    /// Builds the encoder from `config` and the weights file's tensors.
    pub(crate) fn new(config: &Config, tensors: HashMap<String, Tensor>) -> Result<Self, String> {
        let (h, i) = (config.hidden_size, config.intermediate_size);
        if config.hidden_act != "gelu" {
            return Err(format!(
                "activation `{}` is not supported",
                config.hidden_act
            ));
        }
        if config.num_attention_heads == 0 || h % config.num_attention_heads != 0 {
            return Err(format!(
                "{} heads do not divide the hidden size {h}",
                config.num_attention_heads
            ));
        }
        let prefix = if tensors.contains_key("bert.embeddings.word_embeddings.weight") {
            "bert."
        } else {
            ""
        };
        let mut t = Tensors {
            by_name: tensors,
            prefix,
        };
        let word = t.take("embeddings.word_embeddings.weight", &[config.vocab_size, h])?;
        let position = t.take(
            "embeddings.position_embeddings.weight",
            &[config.max_position_embeddings, h],
        )?;
        let token_type = t
            .by_name
            .remove(&format!("{prefix}embeddings.token_type_embeddings.weight"))
            .filter(|types| types.shape.len() == 2 && types.shape[1] == h)
            .ok_or("tensor `embeddings.token_type_embeddings.weight` is missing")?
            .values[..h]
            .to_vec();
        let norm = t.norm("embeddings.LayerNorm", h)?;
        let layers = (0..config.num_hidden_layers)
            .map(|n| {
                let l = format!("encoder.layer.{n}");
                Ok(Layer {
                    qkv: t.qkv(&l, h)?,
                    attention_out: t.linear(&format!("{l}.attention.output.dense"), h, h)?,
                    attention_norm: t.norm(&format!("{l}.attention.output.LayerNorm"), h)?,
                    up: t.linear(&format!("{l}.intermediate.dense"), i, h)?,
                    down: t.linear(&format!("{l}.output.dense"), h, i)?,
                    output_norm: t.norm(&format!("{l}.output.LayerNorm"), h)?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        #[allow(
            clippy::cast_possible_truncation,
            reason = "BERT's epsilon (1e-12) is a normal f32"
        )]
        let eps = config.layer_norm_eps as f32;
        Ok(Self {
            word,
            position,
            token_type,
            norm,
            layers,
            hidden: h,
            heads: config.num_attention_heads,
            intermediate: i,
            vocab: config.vocab_size,
            max_positions: config.max_position_embeddings,
            eps,
        })
    }

    /// The hidden size (the length of the vectors).
    pub(crate) fn hidden(&self) -> usize {
        self.hidden
    }

    /// The unit vector of one tokenised text (at most the model's positions long).
    pub(crate) fn embed(&self, ids: &[u32]) -> Result<Vec<f32>, EmbedError> {
        let (n, h) = (ids.len(), self.hidden);
        if n == 0 || n > self.max_positions {
            return Err(EmbedError::Tokenizer(format!(
                "{n} word pieces (1 to {} fit)",
                self.max_positions
            )));
        }
        let mut x = vec![0f32; n * h];
        for (t, (&id, row)) in ids.iter().zip(x.chunks_exact_mut(h)).enumerate() {
            let id = usize::try_from(id).unwrap_or(usize::MAX);
            let word = self
                .word
                .get(id.saturating_mul(h)..id.saturating_mul(h).saturating_add(h))
                .filter(|_| id < self.vocab)
                .ok_or_else(|| EmbedError::Tokenizer(format!("token id {id} out of range")))?;
            let position = &self.position[t * h..(t + 1) * h];
            for (((v, w), p), k) in row.iter_mut().zip(word).zip(position).zip(&self.token_type) {
                *v = w + p + k;
            }
        }
        layer_norm(&mut x, &self.norm.weight, &self.norm.bias, self.eps);
        let mut scratch = Scratch {
            qkv: vec![0f32; n * 3 * h],
            scores: vec![0f32; n * n],
            context: vec![0f32; n * h],
            other: vec![0f32; n * h],
            inner: vec![0f32; n * self.intermediate],
        };
        for layer in &self.layers {
            self.layer(layer, &mut x, &mut scratch, n)?;
        }
        Ok(mean_unit(&x, n, h))
    }

    /// One encoder layer over the `n` rows of `x`, in place.
    fn layer(
        &self,
        layer: &Layer,
        x: &mut Vec<f32>,
        s: &mut Scratch,
        n: usize,
    ) -> Result<(), EmbedError> {
        let h = self.hidden;
        let d = h / self.heads;
        #[allow(clippy::cast_precision_loss, reason = "head sizes are a few dozen")]
        let scale = 1.0 / (d as f32).sqrt();
        layer.qkv.apply(matrix(x, n, h)?, None, &mut s.qkv)?;
        let qkv = matrix(&s.qkv, n, 3 * h)?;
        for head in 0..self.heads {
            let q = qkv.slice_axis(Axis(1), columns(head * d, d));
            let k = qkv.slice_axis(Axis(1), columns(h + head * d, d));
            let v = qkv.slice_axis(Axis(1), columns(2 * h + head * d, d));
            let mut scores = matrix_mut(&mut s.scores, n, n)?;
            general_mat_mul(scale, &q, &k.t(), 0.0, &mut scores);
            for row in s.scores.chunks_exact_mut(n) {
                softmax(row);
            }
            let mut context = matrix_mut(&mut s.context, n, h)?;
            let mut context = context.slice_axis_mut(Axis(1), columns(head * d, d));
            general_mat_mul(1.0, &matrix(&s.scores, n, n)?, &v, 0.0, &mut context);
        }
        layer
            .attention_out
            .apply(matrix(&s.context, n, h)?, Some(x), &mut s.other)?;
        let norm = &layer.attention_norm;
        layer_norm(&mut s.other, &norm.weight, &norm.bias, self.eps);
        std::mem::swap(x, &mut s.other);

        layer.up.apply(matrix(x, n, h)?, None, &mut s.inner)?;
        gelu(&mut s.inner);
        layer.down.apply(
            matrix(&s.inner, n, self.intermediate)?,
            Some(x),
            &mut s.other,
        )?;
        let norm = &layer.output_norm;
        layer_norm(&mut s.other, &norm.weight, &norm.bias, self.eps);
        std::mem::swap(x, &mut s.other);
        Ok(())
    }
}

/// Buffers of one sequence's pass, sized for its length.
struct Scratch {
    qkv: Vec<f32>,
    scores: Vec<f32>,
    context: Vec<f32>,
    other: Vec<f32>,
    inner: Vec<f32>,
}

/// The mean of the `n` rows of `x` (`[n, h]`), divided by its length (clamped at 1e-12, as
/// `torch.nn.functional.normalize` does).
fn mean_unit(x: &[f32], n: usize, h: usize) -> Vec<f32> {
    let mut mean = vec![0f32; h];
    for row in x.chunks_exact(h).take(n) {
        for (m, v) in mean.iter_mut().zip(row) {
            *m += v;
        }
    }
    #[allow(clippy::cast_precision_loss, reason = "at most a few hundred rows")]
    let count = n.max(1) as f32;
    for m in &mut mean {
        *m /= count;
    }
    let norm = mean.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
    for m in &mut mean {
        *m /= norm;
    }
    mean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mean_is_pooled_and_made_a_unit_vector() {
        let got = mean_unit(&[1.0, 1.0, 2.0, 3.0], 2, 2);
        assert!(
            (got[0] - 0.6).abs() < 1e-6 && (got[1] - 0.8).abs() < 1e-6,
            "{got:?}"
        );
        assert_eq!(mean_unit(&[0.0, 0.0], 1, 2), vec![0.0, 0.0]);
    }

    #[test]
    fn dense_layers_add_bias_and_residual() {
        let layer = Linear {
            weight: Array2::from_shape_vec((2, 3), vec![1.0, 0.0, 0.0, 0.0, 1.0, 1.0]).unwrap(),
            bias: vec![0.5, -1.0],
        };
        let input = [1.0, 2.0, 3.0];
        let mut out = [0.0; 2];
        let input = matrix(&input, 1, 3).unwrap();
        layer.apply(input, Some(&[10.0, 20.0]), &mut out).unwrap();
        assert_eq!(out, [11.5, 24.0]);
    }
}
