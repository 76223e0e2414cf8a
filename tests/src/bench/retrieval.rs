//! Retrieval: ingestion through a server with its embedding engine (chunks per second,
//! question latency over HTTP, peak RSS), and the vector stores' own query latency at 10,000
//! and 100,000 chunks in one collection (vector and keyword search, p50/p99) on SQLite and, when
//! `HEARTH_BENCH_PGVECTOR_URL` names a PostgreSQL with pgvector, on pgvector.

use hearth_domain::ports::{ChunkItem, VectorStore};
use hearth_vectors::{IndexMethod, PgVectorOptions, PgVectors, SqliteVectors};
use serde_json::{Map, Value, json};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// A small deterministic generator (xorshift), so every run indexes the same corpus.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f32 {
        (self.next() % 2_000_001) as f32 / 1_000_000.0 - 1.0
    }
    fn vector(&mut self, dimensions: usize) -> Vec<f32> {
        let v: Vec<f32> = (0..dimensions).map(|_| self.unit()).collect();
        let norm = v
            .iter()
            .map(|x| x * x)
            .sum::<f32>()
            .sqrt()
            .max(f32::EPSILON);
        v.into_iter().map(|x| x / norm).collect()
    }
    /// `count` words of a 20,000-word vocabulary, common ones far more often (as in text).
    fn words(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| {
                let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
                word((u * u * u * VOCABULARY as f64) as u64)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `count` words drawn evenly from the vocabulary (a question's rarer words).
    fn query_words(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| word(self.next() % VOCABULARY))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

const VOCABULARY: u64 = 20_000;
const SYLLABLES: [&str; 28] = [
    "ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zu", "bi", "da", "fe", "go", "hu", "ji", "ko",
    "la", "me", "no", "pi", "qua", "re", "si", "to", "ul", "ve", "wa", "yo",
];

/// The `n`th word of the vocabulary: three syllables.
fn word(n: u64) -> String {
    let s = SYLLABLES.len() as u64;
    let part = |k: u64| SYLLABLES[(k % s) as usize];
    format!("{}{}{}", part(n), part(n / s), part(n / (s * s)))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(at).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A document of `paragraphs` paragraphs of about 900 characters.
fn document(random: &mut Random, paragraphs: usize) -> String {
    (0..paragraphs)
        .map(|_| random.words(130))
        .collect::<Vec<_>>()
        .join("\n\n")
}

async fn upload(
    client: &reqwest::Client,
    addr: SocketAddr,
    token: &str,
    name: &str,
    text: String,
) -> BenchResult<(Duration, String)> {
    let part = reqwest::multipart::Part::bytes(text.into_bytes())
        .file_name(name.to_owned())
        .mime_str("text/plain")?;
    let form = reqwest::multipart::Form::new().part("file", part);
    let started = Instant::now();
    let answer: Value = client
        .post(format!(
            "http://{addr}/api/v1/files/?process_in_background=false"
        ))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await?
        .json()
        .await?;
    let id = answer["id"].as_str().ok_or("upload failed")?.to_owned();
    loop {
        let now: Value = client
            .get(format!("http://{addr}/api/v1/files/{id}/process/status"))
            .bearer_auth(token)
            .send()
            .await?
            .json()
            .await?;
        match now["status"].as_str() {
            Some("completed") => return Ok((started.elapsed(), id)),
            Some("pending" | "processing") => tokio::time::sleep(Duration::from_millis(10)).await,
            other => return Err(format!("{name}: processing ended {other:?}").into()),
        }
    }
}

async fn query(
    client: &reqwest::Client,
    addr: SocketAddr,
    token: &str,
    body: &Value,
) -> BenchResult<Value> {
    Ok(client
        .post(format!("http://{addr}/api/v1/retrieval/query/doc"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await?
        .json()
        .await?)
}

/// Uploads three 120-paragraph documents (answered once indexed), then asks 50 questions of
/// one of them; chunks per second, question latency (embedding included) and peak RSS.
pub async fn ingestion(addr: SocketAddr, token: &str, pid: u32) -> BenchResult<()> {
    let client = reqwest::Client::new();
    let mut random = Random(0x5eed);
    let before = peak_rss_kib(pid).unwrap_or(0);
    let mut rates = Vec::new();
    let mut last = String::new();
    for round in 0..3 {
        let text = document(&mut random, 120);
        let (took, id) = upload(&client, addr, token, &format!("doc-{round}.txt"), text).await?;
        let all = json!({"collection_name": format!("file-{id}"), "query": "hearth", "k": 100_000});
        let chunks = query(&client, addr, token, &all).await?["documents"][0]
            .as_array()
            .map_or(0, Vec::len);
        rates.push(chunks as f64 / took.as_secs_f64());
        println!(
            "ingest doc-{round}.txt: {chunks} chunks in {:>8.1} ms ({:>6.1} chunks/s)",
            took.as_secs_f64() * 1000.0,
            chunks as f64 / took.as_secs_f64()
        );
        last = id;
    }
    rates.sort_by(f64::total_cmp);
    println!("ingestion median {:>6.1} chunks/s", rates[1]);
    let mut times = Vec::new();
    for _ in 0..50 {
        let ask =
            json!({"collection_name": format!("file-{last}"), "query": random.query_words(6)});
        let started = Instant::now();
        query(&client, addr, token, &ask).await?;
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "question over HTTP (embedding + search)  p50 {:>6.1} ms  p99 {:>6.1} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );
    let after = peak_rss_kib(pid).unwrap_or(0);
    println!(
        "peak RSS (VmHWM) before / after ingestion  {:>8.1} / {:>8.1} MiB",
        before as f64 / 1024.0,
        after as f64 / 1024.0
    );
    Ok(())
}

const DIMENSIONS: usize = 384;

/// Fills one collection with `size` chunks of random words and random unit vectors.
async fn seed(store: &dyn VectorStore, size: usize) -> BenchResult<Duration> {
    let mut random = Random(0xc0ffee);
    let started = Instant::now();
    for batch in 0..size.div_ceil(1000) {
        let items = (0..1000.min(size - batch * 1000))
            .map(|i| {
                let mut metadata = Map::new();
                metadata.insert(
                    "file_id".into(),
                    json!(format!("file-{}", (batch * 1000 + i) / 100)),
                );
                metadata.insert("name".into(), json!("bench.txt"));
                ChunkItem {
                    id: format!("{batch}-{i}-{}", random.next()),
                    text: random.words(130),
                    vector: random.vector(DIMENSIONS),
                    metadata,
                }
            })
            .collect();
        store.insert("bench", items).await?;
    }
    Ok(started.elapsed())
}

/// p50/p99 of vector and keyword searches (top 3) over the seeded collection.
async fn searches(label: &str, store: &dyn VectorStore, size: usize) -> BenchResult<()> {
    let mut random = Random(0xbeef);
    let collections = ["bench".to_owned()];
    let (mut vector, mut keyword) = (Vec::new(), Vec::new());
    for _ in 0..200 {
        let q = random.vector(DIMENSIONS);
        let started = Instant::now();
        store.search(&collections, &q, 3).await?;
        vector.push(started.elapsed());
        let words = random.query_words(2);
        let started = Instant::now();
        store.keyword_search(&collections, &words, &q, 3).await?;
        keyword.push(started.elapsed());
    }
    vector.sort();
    keyword.sort();
    println!(
        "{label:<9} {size:>7} chunks  vector p50 {:>7.2} ms p99 {:>7.2} ms   keyword p50 {:>7.2} ms p99 {:>7.2} ms",
        percentile(&vector, 0.5),
        percentile(&vector, 0.99),
        percentile(&keyword, 0.5),
        percentile(&keyword, 0.99)
    );
    Ok(())
}

/// Both stores at 10,000 and 100,000 chunks.
pub async fn stores() -> BenchResult<()> {
    for size in [10_000, 100_000] {
        let dir = tempfile::tempdir()?;
        let sqlite = SqliteVectors::open(&dir.path().join("vectors.db"), 256 << 20).await?;
        let took = seed(&sqlite, size).await?;
        println!(
            "sqlite    {size:>7} chunks  seeded at {:>8.0} chunks/s",
            size as f64 / took.as_secs_f64()
        );
        searches("sqlite", &sqlite, size).await?;
        let Ok(url) = std::env::var("HEARTH_BENCH_PGVECTOR_URL") else {
            continue;
        };
        let options = PgVectorOptions {
            url,
            length: 1536,
            index: IndexMethod::Ivfflat,
            pool_size: 2,
        };
        let pg = PgVectors::open(&options).await?;
        pg.reset().await?;
        let took = seed(&pg, size).await?;
        println!(
            "pgvector  {size:>7} chunks  seeded at {:>8.0} chunks/s",
            size as f64 / took.as_secs_f64()
        );
        // Reopened, the store builds Open WebUI's default IVFFlat index over what is there.
        let pg = PgVectors::open(&options).await?;
        searches("pgvector", &pg, size).await?;
        pg.reset().await?;
    }
    Ok(())
}
