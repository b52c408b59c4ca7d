//! The `schoolnet` binary; everything lives in the library (`schoolnet::cli`).

/// mimalloc instead of the system allocator: a GraphQL response and a rendered page are many
/// small short-lived allocations, and glibc's malloc spent a tenth of the server's time on
/// them (`_int_malloc`, `_int_free`, `malloc_consolidate` under `perf`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    schoolnet::cli::run()
}
