//! `tlsforge inspect`'s parser: whatever bytes a file, stdin or a server hands it.
//! The properties live in `tlsforge::fuzzing`, where the ordinary test suite replays the
//! committed seeds (`fuzz/seeds/parse_content`) through them too.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tlsforge::fuzzing::parse_content(data));
