//! Java: a single-file program (`java Client.java NAME PORT SECONDS`, Java 11+) written to the
//! private scratch directory: a plain socket to 127.0.0.1 with no proxy, layered with the
//! default `SSLSocketFactory` (so the JDK's default truststore, or `javax.net.ssl.trustStore`
//! from `JAVA_TOOL_OPTIONS`), HTTPS endpoint identification and SNI for DNS names. The reason
//! is the exception's message, e.g. `PKIX path building failed: …`.

use std::fs;
use std::path::Path;
use std::time::Duration;

use super::{ClientSpec, NETWORK_TIMEOUT_SECS, Target, Verdict, command, scripted_verdict};
use crate::process as child;

const SOURCE: &str = r#"
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

public class Client {
    public static void main(String[] args) {
        String name = args[0];
        int port = Integer.parseInt(args[1]);
        int millis = Integer.parseInt(args[2]) * 1000;
        boolean ip = name.matches("[0-9.]+") || name.contains(":");
        try (Socket plain = new Socket(Proxy.NO_PROXY)) {
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            plain.connect(new InetSocketAddress(loopback, port), millis);
            plain.setSoTimeout(millis);
            SSLSocketFactory factory = (SSLSocketFactory) SSLSocketFactory.getDefault();
            try (SSLSocket tls = (SSLSocket) factory.createSocket(plain, name, port, true)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (!ip) {
                    parameters.setServerNames(List.of(new SNIHostName(name)));
                }
                tls.setSSLParameters(parameters);
                tls.startHandshake();
            }
            System.out.println("tlsforge: accepted");
        } catch (SSLException e) {
            System.out.println("tlsforge: refused " + message(e));
        } catch (Exception e) {
            System.err.println("tlsforge: " + message(e));
            System.exit(2);
        }
    }

    private static String message(Throwable e) {
        String text = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return text.replace('\n', ' ').replace('\r', ' ');
    }
}
"#;

pub(super) fn check(spec: &ClientSpec, target: &Target, dir: &Path, limit: Duration) -> Verdict {
    let source = dir.join("Client.java");
    if let Err(e) = fs::write(&source, SOURCE) {
        return Verdict::Failed(format!("cannot write {}: {e}", source.display()));
    }
    let mut java = command(spec, dir);
    java.arg(&source).arg(&target.name).arg(target.port.to_string()).arg(NETWORK_TIMEOUT_SECS.to_string());
    match child::run(&mut java, limit) {
        Ok(finished) => scripted_verdict(&finished, &spec.program, limit),
        Err(why) => Verdict::Failed(why),
    }
}
