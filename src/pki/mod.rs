//! Certificates: names, keys, issuing, the local CA, and reading certificates back.

pub mod armor;
pub mod ca;
pub mod connect;
pub mod content;
pub mod der;
pub mod describe;
pub mod issuer;
pub mod keyfile;
pub mod keys;
pub mod leaf;
pub mod names;
pub mod pair;
pub mod read;
pub mod sources;
pub mod validity;
