use std::process::ExitCode;

// mimalloc: the proxy allocates per request (hyper's heads, bodies' buffers); glibc's malloc
// took about 8% of its time under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    tlsforge::run(std::env::args_os())
}
