//! Certificates: names, keys, issuing, the local CA, and reading certificates back.

pub(crate) mod armor;
pub(crate) mod ca;
pub mod content;
pub(crate) mod der;
pub(crate) mod describe;
pub mod export;
pub mod format;
pub(crate) mod issuer;
pub mod keyfile;
pub(crate) mod keys;
pub(crate) mod leaf;
pub(crate) mod lint;
pub(crate) mod matching;
pub(crate) mod names;
pub(crate) mod p12;
pub(crate) mod pair;
pub(crate) mod proof;
pub(crate) mod sources;
pub(crate) mod validity;
