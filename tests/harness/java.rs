//! Java: a fake `JAVA_HOME` whose cacerts is a copy, what keytool lists in it, and a small
//! HTTPS client.

use std::fs;
use std::path::{Path, PathBuf};

use super::tool;

/// A JDK whose cacerts is a copy: `bin/keytool` links to the real one (which finds its JDK
/// through /proc/self/exe), `lib/security/cacerts` is a copy of the real cacerts.
pub(crate) fn fake_java_home(dir: &Path) -> PathBuf {
    let keytool = tool("sh", &["-c", "command -v keytool"]).stdout.trim().to_owned();
    let keytool = fs::canonicalize(keytool).expect("keytool resolves");
    let jdk = keytool.parent().unwrap().parent().unwrap();
    let home = dir.join("jdk");
    fs::create_dir_all(home.join("bin")).unwrap();
    fs::create_dir_all(home.join("lib/security")).unwrap();
    std::os::unix::fs::symlink(&keytool, home.join("bin/keytool")).unwrap();
    fs::copy(jdk.join("lib/security/cacerts"), home.join("lib/security/cacerts")).expect("copy cacerts");
    home
}

/// Whether `alias` is an entry of the cacerts in `java_home`.
pub(crate) fn keytool_has(java_home: &Path, alias: &str) -> bool {
    let cacerts = java_home.join("lib/security/cacerts");
    let keytool = java_home.join("bin/keytool");
    let run = tool(
        keytool.to_str().unwrap(),
        &["-list", "-keystore", cacerts.to_str().unwrap(), "-storepass", "changeit", "-alias", alias],
    );
    run.code == 0
}

/// A Java HTTPS client: GET `args[0]`, print the status.
pub(crate) const JAVA_CLIENT: &str = r"
import java.net.URL;
import javax.net.ssl.HttpsURLConnection;

public class Client {
    public static void main(String[] args) throws Exception {
        HttpsURLConnection connection = (HttpsURLConnection) new URL(args[0]).openConnection();
        connection.setConnectTimeout(10000);
        connection.setReadTimeout(10000);
        System.out.println(connection.getResponseCode());
    }
}
";
