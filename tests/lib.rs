//! One integration-test binary: every test runs the built `tlsforge` in a scrubbed environment
//! with a temporary HOME and CA directory, and checks what it wrote with real tools.

// Tests name paths crt/key/ca side by side; the pedantic lint on similar names only hurts here.
#![allow(clippy::similar_names)]

mod harness;

mod bounded_input;
mod browsers;
mod ca;
mod color;
mod conventions;
mod crash;
mod docs;
mod doctor;
mod env;
mod export;
mod fuzz_corpus;
mod gen_cert;
mod help;
mod hostile_output;
mod inspect;
mod keyfile;
mod lifecycle;
mod net;
mod packaging;
mod proxy;
mod readme;
mod setup;
mod share;
mod snippet;
mod tls;
mod trust;
