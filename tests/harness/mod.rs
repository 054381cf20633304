//! The test harness: a small builder around the real binary, in a hermetic environment, and the
//! machinery more than one test module uses. Each theme is a submodule; everything is
//! re-exported here, so tests import `crate::harness::{...}`.

#![allow(dead_code)]

mod fixtures;
mod sandbox;
mod tls_server;
mod tools;

pub(crate) use fixtures::{cert_der, openssl_chain};
pub(crate) use sandbox::{BIN, Run, Sandbox, listing, mode, repo};
pub(crate) use tls_server::free_port;
pub(crate) use tools::{have, python, python_with, require, tool};
