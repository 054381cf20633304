//! Node.js: `tls.connect` to 127.0.0.1 with `servername: NAME` and `rejectUnauthorized` left at
//! its default (true). Node trusts its bundled roots unless `NODE_EXTRA_CA_CERTS`,
//! `--use-openssl-ca` or `--use-system-ca` (e.g. in `NODE_OPTIONS`) say otherwise: whatever
//! it does is the truth to report. The reason is the error's code, e.g.
//! `DEPTH_ZERO_SELF_SIGNED_CERT`, with Node's message for its own `ERR_…` codes.

use std::path::Path;
use std::time::Duration;

use super::{ClientSpec, NETWORK_TIMEOUT_SECS, Target, Verdict, command, scripted_verdict};
use crate::process as child;

const SCRIPT: &str = r#"
const tls = require("tls");
const net = require("net");
const [name, port, seconds] = process.argv.slice(-3);
const options = { host: "127.0.0.1", port: Number(port) };
// An IP address is checked against the certificate's IP addresses and sent as no SNI.
if (net.isIP(name) === 0) options.servername = name;
const socket = tls.connect(options, () => {
  console.log("tlsforge: accepted");
  socket.destroy();
});
socket.setTimeout(Number(seconds) * 1000, () => {
  console.error("tlsforge: no TLS answer in time");
  process.exit(2);
});
socket.on("error", (e) => {
  const code = e.code || "";
  const systemError = /^E[A-Z]+$/.test(code); // ECONNREFUSED, ECONNRESET…: no verdict
  const nodeError = code.startsWith("ERR_") && !/^ERR_(TLS|SSL)_/.test(code);
  if (code && !systemError && !nodeError) {
    console.log("tlsforge: refused " + (code.startsWith("ERR_") ? code + ": " + e.message : code));
  } else {
    console.error("tlsforge: " + (code ? code + ": " : "") + e.message);
    process.exitCode = 2;
  }
  socket.destroy();
});
"#;

pub(super) fn check(spec: &ClientSpec, target: &Target, dir: &Path, limit: Duration) -> Verdict {
    let mut node = command(spec, dir);
    node.arg("-e")
        .arg(SCRIPT)
        .arg("--")
        .arg(&target.name)
        .arg(target.port.to_string())
        .arg(NETWORK_TIMEOUT_SECS.to_string());
    match child::run(&mut node, limit) {
        Ok(finished) => scripted_verdict(&finished, &spec.program, limit),
        Err(why) => Verdict::Failed(why),
    }
}
