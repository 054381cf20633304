//! `tlsforge snippet nginx|compose`: the nginx server block passes `nginx -t` and serves HTTPS
//! (HTTP/2) with the generated certificate, proxying /api/ and, with the WebSocket headers,
//! /ws/; the compose fragment is YAML that means what it says.

use std::fs;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Sandbox, free_port, have, tool};

/// What nginx must read through its own quoting: quotes, `;`, braces, `#`, a backslash.
const NGINX_DIR: &str = "my \"certs\" dir;{x} #1 'q' \\back ü";

fn pair_in(sb: &Sandbox, dir: &str) -> PathBuf {
    let path = sb.path(dir);
    sb.run(&["gen", "--out", path.to_str().unwrap()]).success();
    path
}

/// nginx in the foreground, one process, killed when dropped.
struct Nginx {
    child: Child,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A main configuration around the snippet: everything under `prefix`, no daemon, and a
/// plain-HTTP "service" on `upstream` that echoes what reached it.
fn main_conf(prefix: &Path, upstream: u16) -> String {
    let p = prefix.display();
    format!(
        "daemon off;\nmaster_process off;\npid {p}/nginx.pid;\nerror_log stderr;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n\
           access_log off;\n\
           client_body_temp_path {p}/tmp/body;\n  proxy_temp_path {p}/tmp/proxy;\n\
           fastcgi_temp_path {p}/tmp/fastcgi;\n  uwsgi_temp_path {p}/tmp/uwsgi;\n  scgi_temp_path {p}/tmp/scgi;\n\
           server {{\n\
             listen 127.0.0.1:{upstream};\n\
             location / {{ return 200 \"service saw $request_uri upgrade=$http_upgrade connection=$http_connection\\n\"; }}\n\
           }}\n\
           include {p}/snippet.conf;\n\
         }}\n"
    )
}

fn nginx(prefix: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("nginx");
    cmd.arg("-p").arg(prefix).arg("-c").arg(prefix.join("nginx.conf")).args(["-e", "stderr"]).args(args);
    cmd.stdin(Stdio::null());
    cmd
}

/// Write the snippet for `cert` with a free port, check it with `nginx -t`, and start nginx.
/// Retries with other ports if one was taken meanwhile.
fn start_nginx(sb: &Sandbox, cert: &Path, prefix: &Path) -> (Nginx, u16) {
    fs::create_dir_all(prefix.join("tmp")).unwrap();
    for _ in 0..5 {
        let (port, upstream) = (free_port(), free_port());
        let snippet = sb
            .run(&[
                "snippet",
                "nginx",
                "--cert",
                cert.to_str().unwrap(),
                "--port",
                &port.to_string(),
                "--upstream",
                &format!("127.0.0.1:{upstream}"),
            ])
            .success()
            .stdout;
        assert!(snippet.contains(&format!("listen {port} ssl http2;")), "{snippet}");
        fs::write(prefix.join("snippet.conf"), snippet).unwrap();
        fs::write(prefix.join("nginx.conf"), main_conf(prefix, upstream)).unwrap();
        let test = nginx(prefix, &["-t"]).output().unwrap();
        let said = String::from_utf8_lossy(&test.stderr);
        assert!(test.status.success() && said.contains("test is successful"), "nginx -t:\n{said}");

        let mut child = nginx(prefix, &[]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", port)).is_ok()
                && TcpStream::connect(("127.0.0.1", upstream)).is_ok()
            {
                return (Nginx { child }, port);
            }
            if child.try_wait().unwrap().is_some() {
                break; // a port was taken after all: try others
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!("nginx did not start");
}

#[test]
fn nginx_serves_https_and_wss_with_the_snippet() {
    if !have("nginx") || !have("curl") {
        return;
    }
    let sb = Sandbox::new();
    let dir = pair_in(&sb, NGINX_DIR);
    let cert = dir.join("server.crt");
    let (_nginx, port) = start_nginx(&sb, &cert, &sb.path("nginx"));

    let curl = |path: &str, extra: &[&str]| {
        let url = format!("https://localhost:{port}{path}");
        let resolve = format!("localhost:{port}:127.0.0.1");
        let mut args = vec!["--silent", "--show-error", "--max-time", "10", "--resolve", &resolve];
        args.extend(["--cacert", cert.to_str().unwrap(), "--write-out", "\nhttp/%{http_version}"]);
        args.extend(extra);
        args.push(&url);
        tool("curl", &args)
    };
    let api = curl("/api/hello?x=1", &[]).success();
    assert_eq!(
        api.stdout, "service saw /api/hello?x=1 upgrade= connection=close\n\nhttp/2",
        "{}",
        api.stderr
    );

    // WebSocket upgrades arrive at the service with their headers (over HTTP/1.1, where they
    // exist).
    let ws =
        curl("/ws/chat", &["--http1.1", "-H", "Upgrade: websocket", "-H", "Connection: Upgrade"]).success();
    assert_eq!(ws.stdout, "service saw /ws/chat upgrade=websocket connection=upgrade\n\nhttp/1.1");

    // The certificate is what made curl trust the server.
    let url = format!("https://127.0.0.1:{port}/api/");
    assert_eq!(tool("curl", &["--silent", "--max-time", "10", &url]).code, 60);
}

#[test]
fn nginx_snippet_fills_names_and_refuses_what_nginx_cannot_read() {
    let sb = Sandbox::new();
    sb.run(&["gen", "app.test", "*.app.test", "10.0.0.5", "::1"]).success();
    let out = sb.run(&["snippet", "nginx"]).success().stdout;
    assert!(out.contains("    listen 443 ssl http2;\n"), "{out}");
    assert!(out.contains("    server_name app.test *.app.test 10.0.0.5;\n"), "{out}");
    assert!(out.contains("proxy_pass http://127.0.0.1:3000;"), "{out}");
    assert!(out.contains("proxy_set_header Upgrade $http_upgrade;"), "{out}");
    assert!(out.contains("proxy_set_header Connection \"upgrade\";"), "{out}");

    let dir = pair_in(&sb, "costs $5");
    let run = sb.run(&["snippet", "nginx", "--cert", dir.join("server.crt").to_str().unwrap()]);
    run.fails(1, "reads as a variable").one_error_line();
    sb.run(&["snippet", "nginx", "--upstream", "http://a b"]).fails(2, "--upstream");
    sb.run(&["snippet", "nginx", "--port", "0"]).fails(2, "--port");
    let empty = Sandbox::new();
    empty.run(&["snippet", "nginx"]).fails(1, "tlsforge gen").one_error_line();
}

#[test]
fn compose_fragment_is_yaml_that_mounts_the_files_read_only() {
    let Some(python) = ["python3", "/usr/bin/python3"].into_iter().find(|p| {
        Command::new(p).args(["-c", "import yaml"]).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
    }) else {
        assert!(
            std::env::var_os("TLSFORGE_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "python3 with yaml is required (TLSFORGE_REQUIRE_TOOLS=1)"
        );
        eprintln!("SKIPPED: no python3 with the yaml module");
        return;
    };
    let sb = Sandbox::new();
    let dir = pair_in(&sb, "it's \"dq\" $HOME: #x - ü\\b");
    let out = sb.run(&[
        "snippet",
        "compose",
        "--service",
        "web",
        "--cert",
        dir.join("server.crt").to_str().unwrap(),
    ]);
    let yaml = out.success().stdout;
    let parsed = tool_with_stdin(
        python,
        &["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))"],
        &yaml,
    );
    let doc: serde_json::Value = serde_json::from_str(&parsed).unwrap();
    let web = &doc["services"]["web"];
    // Compose turns $$ back into $ when it interpolates the file.
    let source = |i: usize| web["volumes"][i]["source"].as_str().unwrap().replace("$$", "$");
    assert_eq!(source(0), dir.join("server.crt").to_str().unwrap());
    assert_eq!(source(1), dir.join("server.key").to_str().unwrap());
    for i in 0..2 {
        assert_eq!(web["volumes"][i]["type"], "bind");
        assert_eq!(web["volumes"][i]["read_only"], true);
    }
    assert_eq!(web["volumes"][0]["target"], "/run/tlsforge/server.crt");
    assert_eq!(web["environment"]["SSL_CERT_PATH"], "/run/tlsforge/server.crt");
    assert_eq!(web["environment"]["SSL_KEY_PATH"], "/run/tlsforge/server.key");
    assert_eq!(web["environment"]["ENABLE_SSL"], "true");

    sb.run(&[
        "snippet",
        "compose",
        "--service",
        "bad name",
        "--cert",
        dir.join("server.crt").to_str().unwrap(),
    ])
    .fails(2, "--service");
}

fn tool_with_stdin(program: &str, args: &[&str], input: &str) -> String {
    use std::io::Write;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}
