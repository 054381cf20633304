//! `--name` and `--permit`: domains, IP addresses, wildcards, IDNs, and name constraints.
//! The properties live in `tlsforge::fuzzing`, where the ordinary test suite replays the
//! committed seeds (`fuzz/seeds/names`) through them too.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tlsforge::fuzzing::names(data));
