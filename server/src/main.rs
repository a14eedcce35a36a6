use clap::Parser;

/// mimalloc: rendering allocates many small strings on every thread, where
/// glibc's allocator spent a fifth of the CPU time under load.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    oxcart::telemetry::init();
    match oxcart::cli::Cli::parse().run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
