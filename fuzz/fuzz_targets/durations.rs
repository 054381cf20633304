//! `inspect --expiring-within` and `--days`.
//! The properties live in `tlsforge::fuzzing`, where the ordinary test suite replays the
//! committed seeds (`fuzz/seeds/durations`) through them too.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tlsforge::fuzzing::durations(data));
