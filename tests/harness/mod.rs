//! The test harness: a small builder around the real binary, in a hermetic environment, and the
//! machinery more than one test module uses. Each theme is a submodule; everything is
//! re-exported here, so tests import `crate::harness::{...}`.

#![allow(dead_code)]

mod fixtures;
mod headless;
mod java;
mod namespace;
mod running;
mod sandbox;
mod tls_server;
mod tools;
mod trust_report;

pub(crate) use fixtures::{
    HOSTILE_CN, HOSTILE_DNS, HOSTILE_O, cert_der, forge_leaf, hostile_pair, openssl_chain,
};
pub(crate) use headless::{Headless, home_trusting};
pub(crate) use java::{JAVA_CLIENT, fake_java_home, keytool_has};
pub(crate) use namespace::{Namespace, STORE_DIRS};
pub(crate) use running::Running;
pub(crate) use sandbox::{BIN, Run, Sandbox, listing, mode, repo, run_with};
pub(crate) use tls_server::{CURL_PEER_VERIFY_FAILED, free_port, serve};
pub(crate) use tools::{have, is_root, network_namespace_here, python, python_with, require, tool};
pub(crate) use trust_report::{ClientJson, HandshakesJson, proofs, report, statuses};
