//! Retrieval: splitting documents into chunks, the vectors of chunks, and the ports of the
//! embedding engines and vector stores that index and search them.

pub mod chunking;
