//! Reads a `.safetensors` file one tensor at a time.
//!
//! Reading the whole file into memory and then copying the tensors out of it
//! (what a buffer-based loader does) holds every weight twice at the peak,
//! and memory-mapping needs `unsafe`. Here only the JSON header and one
//! tensor's bytes are in memory besides the tensors already built.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use serde::Deserialize;

use crate::EmbedError;

/// Largest header accepted (the format's own limit is 100 MB).
const MAX_HEADER: u64 = 100_000_000;

#[derive(Deserialize)]
struct Entry {
    dtype: String,
    shape: Vec<usize>,
    data_offsets: (u64, u64),
}

/// One tensor: its shape and its values in row-major order.
#[derive(Debug)]
pub(crate) struct Tensor {
    /// Dimensions, outermost first.
    pub shape: Vec<usize>,
    /// The values.
    pub values: Vec<f32>,
}

/// The `f32` tensors of the safetensors file at `path` by name (tensors of other element
/// types, such as BERT's `position_ids`, are skipped).
pub(crate) fn load(path: &Path) -> Result<HashMap<String, Tensor>, EmbedError> {
    let io = |source| EmbedError::Io {
        path: path.to_path_buf(),
        source,
    };
    let bad = |why: String| EmbedError::Weights {
        path: path.to_path_buf(),
        why,
    };
    let mut file = File::open(path).map_err(io)?;
    let file_len = file.metadata().map_err(io)?.len();
    let mut len = [0u8; 8];
    file.read_exact(&mut len).map_err(io)?;
    let header_len = u64::from_le_bytes(len);
    if header_len > MAX_HEADER || header_len + 8 > file_len {
        return Err(bad(format!("header of {header_len} bytes")));
    }
    let mut header = vec![0u8; usize::try_from(header_len).map_err(|e| bad(e.to_string()))?];
    file.read_exact(&mut header).map_err(io)?;
    let entries: HashMap<String, serde_json::Value> =
        serde_json::from_slice(&header).map_err(|e| bad(e.to_string()))?;
    let data_start = 8 + header_len;

    let mut tensors = HashMap::with_capacity(entries.len());
    for (name, value) in entries {
        if name == "__metadata__" {
            continue;
        }
        let entry: Entry =
            serde_json::from_value(value).map_err(|e| bad(format!("{name}: {e}")))?;
        if entry.dtype != "F32" {
            continue;
        }
        let (begin, end) = entry.data_offsets;
        let count = entry.shape.iter().product::<usize>();
        let size = end
            .checked_sub(begin)
            .ok_or_else(|| bad(format!("{name}: offsets")))?;
        if usize::try_from(size).ok() != Some(count * 4) || data_start + end > file_len {
            return Err(bad(format!(
                "{name}: {size} bytes for shape {:?}",
                entry.shape
            )));
        }
        let mut bytes = vec![0u8; count * 4];
        file.seek(SeekFrom::Start(data_start + begin)).map_err(io)?;
        file.read_exact(&mut bytes).map_err(io)?;
        let values = bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        tensors.insert(
            name,
            Tensor {
                shape: entry.shape,
                values,
            },
        );
    }
    Ok(tensors)
}
