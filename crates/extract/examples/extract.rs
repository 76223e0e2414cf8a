//! Prints the text extracted from each file named on the command line.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut status = ExitCode::SUCCESS;
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                status = ExitCode::FAILURE;
                continue;
            }
        };
        let start = std::time::Instant::now();
        match hearth_extract::extract(&bytes, &path, None, &hearth_extract::Limits::default()) {
            Ok(out) => {
                let text = out.text();
                let preview: String = text.chars().take(300).collect();
                println!(
                    "{path}: {} pages, {} chars, {:?}\n{preview}\n---",
                    out.pages.len(),
                    text.chars().count(),
                    start.elapsed()
                );
            }
            Err(e) => {
                println!("{path}: error: {e}");
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}
