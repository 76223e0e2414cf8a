//! Embeds N generated ~1000-character chunks and prints chunks/s and peak RSS.
//! `cargo run --release -p hearth-embed --example throughput -- MODEL_DIR [N] [BATCH]`

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or("usage: throughput MODEL_DIR [N] [BATCH]")?;
    let n: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(64);
    let batch: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(32);
    let words = [
        "the", "archive", "of", "river", "stones", "holds", "seven", "quiet", "lanterns", "whose",
        "light", "was", "measured", "in", "1987", "by", "a", "surveyor", "named", "Ilse", "who",
        "walked", "north", "along", "banks", "where", "herons", "nest",
    ];
    let mut seed = 7u64;
    let texts: Vec<String> = (0..n)
        .map(|_| {
            let mut s = String::new();
            while s.len() < 1000 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push_str(words[(seed >> 33) as usize % words.len()]);
                s.push(' ');
            }
            s
        })
        .collect();
    let embedder = hearth_embed::LocalEmbedder::new(dir);
    embedder.load()?;
    let status = std::fs::read_to_string("/proc/self/status")?;
    for l in status
        .lines()
        .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
    {
        println!("after load: {l}");
    }
    let start = Instant::now();
    let mut done = 0;
    for group in texts.chunks(batch) {
        let refs: Vec<&str> = group.iter().map(String::as_str).collect();
        done += embedder.embed(&refs)?.len();
    }
    let secs = start.elapsed().as_secs_f64();
    let status = std::fs::read_to_string("/proc/self/status")?;
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("");
    println!(
        "{done} chunks in {secs:.2} s = {:.1} chunks/s; {hwm}",
        done as f64 / secs
    );
    Ok(())
}
