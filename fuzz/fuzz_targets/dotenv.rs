//! `env --write` editing a `.env` file it did not write.
//! The properties live in `tlsforge::fuzzing`, where the ordinary test suite replays the
//! committed seeds (`fuzz/seeds/dotenv`) through them too.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tlsforge::fuzzing::dotenv(data));
