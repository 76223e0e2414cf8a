"""Compute golden reference vectors for tests/reference.json (run once).

Usage: python scripts/make_reference.py MODEL_DIR OUT_JSON
"""
import json
import sys

from sentence_transformers import SentenceTransformer

LONG = " ".join(
    [
        "Retrieval-augmented generation splits documents into chunks, embeds every chunk,",
        "stores the vectors in a database and, at question time, embeds the query and",
        "looks up the nearest chunks by cosine similarity before asking the language model.",
    ]
    * 12
)

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "a",
    "",
    "Der schnelle braune Fuchs springt über den faulen Hund, während es draußen regnet.",
    "日本語の文章も埋め込みベクトルに変換できます。",
    "Hearth re-implements the Open WebUI backend in Rust; embeddings power RAG search!",
    LONG,
]


def main() -> None:
    model_dir, out = sys.argv[1], sys.argv[2]
    model = SentenceTransformer(model_dir, device="cpu")
    assert model.max_seq_length == 256, model.max_seq_length
    n_tokens = len(model.tokenizer(LONG)["input_ids"])
    assert n_tokens > 256, n_tokens
    vecs = model.encode(SENTENCES, normalize_embeddings=True, batch_size=32)
    data = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "generator": "sentence-transformers " + __import__("sentence_transformers").__version__,
        "long_sentence_word_pieces": n_tokens,
        "sentences": SENTENCES,
        "vectors": [[round(float(x), 6) for x in v] for v in vecs],
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
        f.write("\n")
    print("wrote", out, len(SENTENCES), "sentences, long one has", n_tokens, "word pieces")


if __name__ == "__main__":
    main()
