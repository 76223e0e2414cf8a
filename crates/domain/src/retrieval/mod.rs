//! Retrieval: splitting documents into chunks, the vectors of chunks, and the ports of the
//! embedding engines and vector stores that index and search them.

mod bm25;
pub mod chunking;
pub mod ranking;
