//! Upload and text extraction: a 20-page PDF and a 5 MB text file, each uploaded with
//! `process_in_background=false` (the answer comes when the text is extracted), several times;
//! the median time per file and the server's peak RSS (VmHWM) before and after. Runs the same
//! uploads against another server (Open WebUI) when given its address and process id.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

const ROUNDS: usize = 5;

/// The two benchmark files, generated.
fn fixtures() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let sentence = "Hearth keeps every chat, file and setting of a team on one machine. ";
    let pages: Vec<String> = (1..=20)
        .map(|n| format!("Page {n}. {}", sentence.repeat(30)))
        .collect();
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    let pdf = hearth_extract::sample_pdf(&pages);
    let mut text = String::with_capacity(5 * 1024 * 1024 + 100);
    let mut line = 0;
    while text.len() < 5 * 1024 * 1024 {
        line += 1;
        text.push_str(&format!("{line}: {sentence}\n"));
    }
    vec![
        ("twenty-pages.pdf", "application/pdf", pdf),
        ("five-megabytes.txt", "text/plain", text.into_bytes()),
    ]
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

async fn upload_once(
    client: &reqwest::Client,
    addr: SocketAddr,
    token: &str,
    (name, kind, bytes): &(&str, &str, Vec<u8>),
) -> Result<Duration, Box<dyn std::error::Error>> {
    let part = reqwest::multipart::Part::bytes(bytes.clone())
        .file_name((*name).to_owned())
        .mime_str(kind)?;
    let form = reqwest::multipart::Form::new().part("file", part);
    let started = Instant::now();
    let answer: serde_json::Value = client
        .post(format!(
            "http://{addr}/api/v1/files/?process_in_background=false"
        ))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await?
        .json()
        .await?;
    // Open WebUI answers the record as it was before processing; follow its status then.
    let id = answer["id"].as_str().unwrap_or_default().to_owned();
    let mut status = answer["data"]["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    while status == "pending" || status == "processing" {
        tokio::time::sleep(Duration::from_millis(10)).await;
        let now: serde_json::Value = client
            .get(format!("http://{addr}/api/v1/files/{id}/process/status"))
            .bearer_auth(token)
            .send()
            .await?
            .json()
            .await?;
        status = now["status"].as_str().unwrap_or_default().to_owned();
    }
    let took = started.elapsed();
    if status != "completed" {
        return Err(format!("{name}: processing ended {status:?}").into());
    }
    Ok(took)
}

/// Uploads each file `ROUNDS` times; prints the median time and the peak RSS.
pub async fn uploads(
    addr: SocketAddr,
    token: &str,
    pid: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    let client = reqwest::Client::new();
    let before = peak_rss_kib(pid).unwrap_or(0);
    for file in fixtures() {
        let mut times = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            times.push(upload_once(&client, addr, token, &file).await?);
        }
        times.sort();
        let median = times[ROUNDS / 2];
        println!(
            "upload + extract {:<22} ({:>7.1} KiB)  median {:>8.1} ms   min {:>8.1} ms",
            file.0,
            file.2.len() as f64 / 1024.0,
            median.as_secs_f64() * 1000.0,
            times[0].as_secs_f64() * 1000.0
        );
    }
    let after = peak_rss_kib(pid).unwrap_or(0);
    println!(
        "peak RSS (VmHWM) before / after the uploads       {:>8.1} / {:>8.1} MiB",
        before as f64 / 1024.0,
        after as f64 / 1024.0
    );
    Ok(())
}
