//! The `dealsim` binary: all work is in the library; this only hands over and exits.

fn main() -> std::process::ExitCode {
    dealsim::cli::main()
}
