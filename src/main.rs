use std::process::ExitCode;

fn main() -> ExitCode {
    tlsforge::run(std::env::args_os())
}
