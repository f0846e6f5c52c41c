//! The `cailiang` binary: see [`cailiang::cli`].

use clap::Parser;

fn main() {
    let cli = cailiang::cli::Cli::parse();
    std::process::exit(cailiang::cli::run(cli));
}
