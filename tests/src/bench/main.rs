//! `hearth-bench`: measures a release `hearth` binary on this machine — start-up time, idle
//! memory, requests/s and latency of `GET /api/config`, `GET /api/v1/auths/` and sign-in,
//! `/api/config` latency while 16 sign-ins hash in parallel — next to a bare actix-web handler
//! measured the same way; streamed completions; 10,000 sockets and event fan-out (one instance,
//! and two through Redis); chat lists at 1,000 and 100,000 chats; upload and text extraction of
//! a 20-page PDF and a 5 MB text file; retrieval (ingestion with the local model, store
//! queries at 10,000 and 100,000 chunks). A benchmark, not a test: it reports, it asserts
//! nothing.
//!
//! Run with `scripts/bench` (builds in release mode first).

mod data;
mod files;
mod load;
mod retrieval;
mod soak;
mod sockets;
mod streams;
mod ws;

use hearth_tests::fake_upstream::{FakeUpstream, Flavor};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Options {
    server: String,
    /// `core`, `streams`, `sockets`, `chats`, `files`, `retrieval`, `stores` (the vector stores
    /// alone), `data` (backup and copy at 100,000 chats) or `soak` (`--minutes` of mixed load);
    /// the last two only when asked: run only that group.
    only: Option<String>,
    seconds: u64,
    connections: usize,
    /// Length of the soak (`--only soak`), in minutes.
    minutes: u64,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    Options {
        server: value("--server").unwrap_or_else(|| "target/release/hearth".into()),
        only: value("--only"),
        seconds: value("--seconds")
            .and_then(|v| v.parse().ok())
            .unwrap_or(10),
        connections: value("--connections")
            .and_then(|v| v.parse().ok())
            .unwrap_or(32),
        minutes: value("--minutes")
            .and_then(|v| v.parse().ok())
            .unwrap_or(30),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("bare") {
        return bare_server();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    if args.get(1).map(String::as_str) == Some("peer") {
        // `hearth-bench peer <host:port> <token>`: the same scenarios against another server
        // (for example Open WebUI started by shared/openwebui-peer/peer.sh).
        let addr: SocketAddr = args.get(2).ok_or("peer needs host:port")?.parse()?;
        let token = args.get(3).ok_or("peer needs a token")?.clone();
        if let Some(pid) = args.get(4).and_then(|p| p.parse().ok()) {
            // `... peer <host:port> <token> <pid> [retrieval]`: the upload (or ingestion)
            // scenario, with that process's RSS.
            if args.get(5).map(String::as_str) == Some("retrieval") {
                return runtime.block_on(retrieval::ingestion(addr, &token, pid));
            }
            return runtime.block_on(files::uploads(addr, &token, pid));
        }
        return runtime.block_on(peer(addr, token, options()));
    }
    runtime.block_on(bench(options()))
}

/// A bare actix-web server answering small JSON, the baseline for `/api/config`.
fn bare_server() -> Result<(), Box<dyn std::error::Error>> {
    actix_web::rt::System::new().block_on(async {
        let server = actix_web::HttpServer::new(|| {
            actix_web::App::new().route(
                "/",
                actix_web::web::get()
                    .to(|| async { actix_web::web::Json(serde_json::json!({"status": true})) }),
            )
        })
        .bind("127.0.0.1:0")?;
        println!("listening {}", server.addrs()[0]);
        server.run().await
    })?;
    Ok(())
}

fn spawn_reporting(
    mut command: Command,
    marker: &str,
) -> Result<(Child, SocketAddr), Box<dyn std::error::Error>> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let line = line?;
        if let Some(addr) = line.split(marker).nth(1) {
            let addr: SocketAddr = addr.split_whitespace().next().unwrap_or_default().parse()?;
            std::thread::spawn(move || lines.for_each(drop));
            return Ok((child, addr));
        }
    }
    Err("server exited before reporting its address".into())
}

pub(crate) fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

async fn wait_healthy(addr: SocketAddr) -> Result<(), Box<dyn std::error::Error>> {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if client
            .get(format!("http://{addr}/health"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Err("server not healthy after 30 s".into())
}

async fn bench(options: Options) -> Result<(), Box<dyn std::error::Error>> {
    if options.only.as_deref() == Some("data") {
        // Not part of the full run: it writes 100,000 chats first.
        return data::tools(&options.server).await;
    }
    println!(
        "hearth-bench: {} s per scenario, {} connections, {} cores",
        options.seconds,
        options.connections,
        num_cpus()
    );

    let fake = FakeUpstream::start_paced(Flavor::OpenAi, &["bench"], STREAM_INTERVAL).await?;
    let data = tempfile::tempdir()?;
    let mut command = Command::new(&options.server);
    command
        .env("OPENAI_API_BASE_URLS", &fake.url)
        .env("ENABLE_OLLAMA_API", "false")
        .env("DATA_DIR", data.path())
        .env("HOST", "127.0.0.1")
        .env("PORT", "0")
        .env("NO_COLOR", "1")
        .env("SIGNIN_RATE_LIMIT", "0")
        .env("RUST_LOG", "info");
    if let Ok(dir) = std::env::var("HEARTH_EMBED_MODEL_DIR") {
        command.env("RAG_EMBEDDING_MODEL_DIR", dir);
    }
    let spawned = Instant::now();
    let (mut server, addr) = spawn_reporting(command, "address=")?;
    wait_healthy(addr).await?;
    let startup = spawned.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_rss = rss_kib(server.id()).unwrap_or(0);
    println!(
        "start to healthy (fresh database)                {:>8.1} ms",
        startup.as_secs_f64() * 1000.0
    );
    println!(
        "idle RSS                                          {:>8.1} MiB",
        idle_rss as f64 / 1024.0
    );

    let token = sign_up(addr).await?;
    one_instance(&options, addr, &token, &fake, server.id()).await?;
    let _ = server.kill();
    let _ = server.wait();
    if options.only.as_deref().is_none_or(|only| only == "sockets") {
        redis_scenarios(&options.server).await?;
    }
    Ok(())
}

/// The scenarios on the one instance started, as `--only` selects them.
async fn one_instance(
    options: &Options,
    addr: SocketAddr,
    token: &str,
    fake: &FakeUpstream,
    pid: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    let (seconds, conns) = (Duration::from_secs(options.seconds), options.connections);
    if options.only.as_deref() == Some("soak") {
        // Not part of the full run: it takes `--minutes`.
        return soak::run(addr, token, pid, options.minutes).await;
    }
    let runs = |group: &str| options.only.as_deref().is_none_or(|only| only == group);
    if runs("core") {
        core_scenarios(addr, token, seconds, conns).await?;
    }
    if runs("streams") {
        stream_scenarios(addr, token, fake, pid).await;
    }
    if runs("sockets") {
        sockets::single_instance(addr, token, pid, SOCKETS).await?;
    }
    if runs("chats") {
        chat_scenarios(addr, token, seconds, conns).await?;
    }
    if runs("files") {
        files::uploads(addr, token, pid).await?;
    }
    if runs("retrieval") {
        retrieval::ingestion(addr, token, pid).await?;
    }
    if runs("retrieval") || runs("stores") {
        retrieval::stores().await?;
    }
    Ok(())
}

/// Signs up the first account (the admin); its token.
async fn sign_up(addr: SocketAddr) -> Result<String, Box<dyn std::error::Error>> {
    let signup = serde_json::json!({"name": "Bench", "email": "bench@example.com", "password": "bench-password"});
    let session: serde_json::Value = reqwest::Client::new()
        .post(format!("http://{addr}/api/v1/auths/signup"))
        .json(&signup)
        .send()
        .await?
        .json()
        .await?;
    Ok(session["token"].as_str().ok_or("signup failed")?.to_owned())
}

/// Sockets held at once on one instance.
const SOCKETS: usize = 10_000;

/// A new chat of the token's user; its id.
pub(crate) async fn new_chat(
    addr: SocketAddr,
    token: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    let chat: serde_json::Value = reqwest::Client::new()
        .post(format!("http://{addr}/api/v1/chats/new"))
        .bearer_auth(token)
        .json(&serde_json::json!({"chat": {"title": "Bench room"}}))
        .send()
        .await?
        .json()
        .await?;
    Ok(chat["id"].as_str().ok_or("chat not created")?.to_owned())
}

/// Two instances on one SQLite file and one Redis (`HEARTH_BENCH_REDIS_URL`, default the
/// local server) with a key prefix of their own.
async fn redis_scenarios(server: &str) -> Result<(), Box<dyn std::error::Error>> {
    let redis =
        std::env::var("HEARTH_BENCH_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let data = tempfile::tempdir()?;
    let instance = |data: &std::path::Path| {
        let mut command = Command::new(server);
        command
            .env("DATA_DIR", data)
            .env("ENABLE_OLLAMA_API", "false")
            .env("HOST", "127.0.0.1")
            .env("PORT", "0")
            .env("NO_COLOR", "1")
            .env("RUST_LOG", "info")
            .env("WEBSOCKET_MANAGER", "redis")
            .env("REDIS_URL", &redis)
            .env(
                "REDIS_KEY_PREFIX",
                format!("hearth-bench-{}", std::process::id()),
            );
        command
    };
    let (mut a, a_addr) = spawn_reporting(instance(data.path()), "address=")?;
    wait_healthy(a_addr).await?;
    let (mut b, b_addr) = spawn_reporting(instance(data.path()), "address=")?;
    wait_healthy(b_addr).await?;
    let token = sign_up(a_addr).await?;
    let result = sockets::two_instances(a_addr, b_addr, &token).await;
    for child in [&mut a, &mut b] {
        let _ = child.kill();
        let _ = child.wait();
    }
    result
}

/// The bare baseline, `/api/config`, the session routes, the user list and sign-in.
async fn core_scenarios(
    addr: SocketAddr,
    token: &str,
    seconds: Duration,
    conns: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut bare_cmd = Command::new(std::env::current_exe()?);
    bare_cmd.arg("bare");
    let (mut bare, bare_addr) = spawn_reporting(bare_cmd, "listening ")?;
    let baseline = load::run(bare_addr, load::get("/", None), 200, conns, seconds).await;
    println!("{}", baseline.line("bare actix-web JSON handler"));
    let _ = bare.kill();
    let _ = bare.wait();

    let config = load::run(addr, load::get("/api/config", None), 200, conns, seconds).await;
    println!("{}", config.line("GET /api/config (anonymous)"));
    println!(
        "  = {:.0}% of the bare handler",
        100.0 * config.rate() / baseline.rate().max(1.0)
    );
    let config_auth = load::run(
        addr,
        load::get("/api/config", Some(token)),
        200,
        conns,
        seconds,
    )
    .await;
    println!("{}", config_auth.line("GET /api/config (signed in)"));
    let me = load::run(
        addr,
        load::get("/api/v1/auths/", Some(token)),
        200,
        conns,
        seconds,
    )
    .await;
    println!("{}", me.line("GET /api/v1/auths/"));
    let users = load::run(
        addr,
        load::get("/api/v1/users/?page=1", Some(token)),
        200,
        conns,
        seconds,
    )
    .await;
    println!("{}", users.line("GET /api/v1/users/?page=1"));

    let signin_body = r#"{"email":"bench@example.com","password":"bench-password"}"#;
    let signin = load::post_json("/api/v1/auths/signin", signin_body);
    let signins = load::run(addr, signin.clone(), 200, 16, seconds).await;
    println!(
        "{}",
        signins.line("POST /api/v1/auths/signin (16 parallel)")
    );

    let hashing = tokio::spawn(load::run(
        addr,
        signin,
        200,
        16,
        seconds + Duration::from_secs(1),
    ));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let during = load::run(addr, load::get("/api/config", None), 200, 8, seconds).await;
    let background = hashing.await?;
    println!(
        "{}",
        during.line("GET /api/config during 16 parallel signins")
    );
    println!("{}", background.line("  (the signins meanwhile)"));

    Ok(())
}

/// Concurrent streams of this many completions.
const STREAMS: usize = 500;
/// Pause between two chunks of the fake model server.
const STREAM_INTERVAL: Duration = Duration::from_millis(50);

/// `STREAMS` streamed completions of `BENCH_CHUNKS` chunks at once, read directly from the
/// fake and then through Hearth.
async fn stream_scenarios(addr: SocketAddr, token: &str, fake: &FakeUpstream, pid: u32) {
    println!(
        "-- {STREAMS} concurrent streams x {} chunks, one chunk per {} ms",
        hearth_tests::fake_upstream::BENCH_CHUNKS,
        STREAM_INTERVAL.as_millis()
    );
    let direct = streams::run(&format!("{}/chat/completions", fake.url), None, STREAMS).await;
    println!("{}", direct.line("directly from the model server"));
    let before = rss_kib(pid).unwrap_or(0);
    let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(before));
    let sampler = {
        let peak = std::sync::Arc::clone(&peak);
        tokio::spawn(async move {
            loop {
                if let Some(now) = rss_kib(pid) {
                    peak.fetch_max(now, std::sync::atomic::Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    let url = format!("http://{addr}/api/chat/completions");
    let through = streams::run(&url, Some(token), STREAMS).await;
    sampler.abort();
    println!("{}", through.line("through Hearth"));
    println!(
        "  Hearth adds per chunk: p50 {:+.2} ms, p99 {:+.2} ms; first byte: p50 {:+.2} ms, p99 {:+.2} ms",
        through.chunk_ms(0.5) - direct.chunk_ms(0.5),
        through.chunk_ms(0.99) - direct.chunk_ms(0.99),
        through.first_byte_ms(0.5) - direct.first_byte_ms(0.5),
        through.first_byte_ms(0.99) - direct.first_byte_ms(0.99),
    );
    let peak = peak.load(std::sync::atomic::Ordering::Relaxed);
    println!(
        "  Hearth RSS: {:.1} MiB before, {:.1} MiB peak (+{:.1} MiB)",
        before as f64 / 1024.0,
        peak as f64 / 1024.0,
        peak.saturating_sub(before) as f64 / 1024.0
    );
}

/// Chat history at 1,000 and then 100,000 chats for one user: the sidebar page, one chat,
/// and a search, to show the list stays flat as the table grows.
async fn chat_scenarios(
    addr: SocketAddr,
    token: &str,
    seconds: Duration,
    conns: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let client = reqwest::Client::new();
    let mut imported = 0usize;
    for target in [1_000usize, 100_000] {
        let started = Instant::now();
        let mut last_id = String::new();
        while imported < target {
            let chats: Vec<serde_json::Value> = (imported..imported + 1000)
                .map(|i| {
                    serde_json::json!({"chat": {"title": format!("Chat {i}"), "history": {"currentId": "m", "messages": {
                        "m": {"id": "m", "parentId": null, "childrenIds": [], "role": "user", "content": format!("message number {i}")}
                    }}}, "updated_at": 1_700_000_000 + i as i64})
                })
                .collect();
            let response: serde_json::Value = client
                .post(format!("http://{addr}/api/v1/chats/import"))
                .bearer_auth(token)
                .json(&serde_json::json!({"chats": chats}))
                .send()
                .await?
                .json()
                .await?;
            last_id = response[0]["id"].as_str().unwrap_or_default().to_owned();
            imported += 1000;
        }
        println!(
            "-- {target} chats (import took {:.1} s)",
            started.elapsed().as_secs_f64()
        );
        let list = load::run(
            addr,
            load::get("/api/v1/chats/?page=1", Some(token)),
            200,
            conns,
            seconds,
        )
        .await;
        println!("{}", list.line("GET /api/v1/chats/?page=1"));
        let one = load::run(
            addr,
            load::get(&format!("/api/v1/chats/{last_id}"), Some(token)),
            200,
            conns,
            seconds,
        )
        .await;
        println!("{}", one.line("GET /api/v1/chats/{id}"));
        let search = load::run(
            addr,
            load::get("/api/v1/chats/search?text=number%2042", Some(token)),
            200,
            4,
            seconds,
        )
        .await;
        println!("{}", search.line("GET /api/v1/chats/search?text=number 42"));
    }
    Ok(())
}

async fn peer(
    addr: SocketAddr,
    token: String,
    options: Options,
) -> Result<(), Box<dyn std::error::Error>> {
    let seconds = Duration::from_secs(options.seconds);
    let conns = options.connections;
    for (name, request) in [
        (
            "GET /api/config (anonymous)",
            load::get("/api/config", None),
        ),
        (
            "GET /api/config (signed in)",
            load::get("/api/config", Some(&token)),
        ),
        (
            "GET /api/v1/auths/",
            load::get("/api/v1/auths/", Some(&token)),
        ),
        (
            "GET /api/v1/users/?page=1",
            load::get("/api/v1/users/?page=1", Some(&token)),
        ),
        (
            "GET /api/v1/chats/?page=1",
            load::get("/api/v1/chats/?page=1", Some(&token)),
        ),
    ] {
        println!(
            "{}",
            load::run(addr, request, 200, conns, seconds)
                .await
                .line(name)
        );
    }
    Ok(())
}

fn num_cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}
