//! Python: `ssl.create_default_context()` (OpenSSL's default paths, so `SSL_CERT_FILE` and
//! `SSL_CERT_DIR` count) and a socket to 127.0.0.1 wrapped with `server_hostname=NAME`. The
//! reason is OpenSSL's `verify_message`, e.g. `self-signed certificate`.

use std::path::Path;
use std::time::Duration;

use super::{ClientSpec, NETWORK_TIMEOUT_SECS, Target, Verdict, command, scripted_verdict};
use crate::process as child;

const SCRIPT: &str = r#"
import socket, ssl, sys
name, port, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
try:
    context = ssl.create_default_context()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        with context.wrap_socket(sock, server_hostname=name):
            pass
    print("tlsforge: accepted")
except ssl.SSLCertVerificationError as e:
    print("tlsforge: refused", e.verify_message or e.reason or e)
except ssl.SSLError as e:
    print("tlsforge: refused", e.reason or e)
except Exception as e:
    print("tlsforge: error", type(e).__name__ + ":", e, file=sys.stderr)
    sys.exit(2)
"#;

pub(super) fn check(spec: &ClientSpec, target: &Target, dir: &Path, limit: Duration) -> Verdict {
    let mut python = command(spec, dir);
    python
        .arg("-c")
        .arg(SCRIPT)
        .arg(&target.name)
        .arg(target.port.to_string())
        .arg(NETWORK_TIMEOUT_SECS.to_string());
    match child::run(&mut python, limit) {
        Ok(finished) => scripted_verdict(&finished, &spec.program, limit),
        Err(why) => Verdict::Failed(why),
    }
}
