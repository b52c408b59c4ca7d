//! The `schoolnet` binary; everything lives in the library (`schoolnet::cli`).

fn main() -> std::process::ExitCode {
    schoolnet::cli::run()
}
