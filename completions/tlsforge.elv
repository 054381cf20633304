
use builtin;
use str;

set edit:completion:arg-completer[tlsforge] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'tlsforge'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'tlsforge'= {
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand gen 'Generate a certificate and key for domains and IP addresses'
            cand export 'Write a certificate (default: the local CA) as DER, a full chain, PKCS#12 or Kubernetes manifests'
            cand ca 'Manage tlsforge''s local certificate authority'
            cand share 'Put the local CA on a phone or another device with one scan, and check HTTPS and WSS from it'
            cand proxy 'HTTPS and WSS in front of a plain HTTP/WebSocket service, with a certificate from the local CA'
            cand list 'List every certificate tlsforge wrote: days left, and whether its files are still the ones written'
            cand renew 'Re-issue recorded certificates that expire soon, then reload what serves them'
            cand inspect 'Show what certificates, keys and requests hold, and when certificates expire'
            cand trust 'Trust a certificate (default: the local CA) in the system, browser and Java stores'
            cand untrust 'Remove what `trust` added for a certificate, and nothing else'
            cand env 'Print SSL_CERT_PATH, SSL_KEY_PATH and ENABLE_SSL for your shell, a .env file or JSON'
            cand snippet 'Print configuration that uses the certificate: an nginx server block, a compose service'
            cand doctor 'Check the certificate, key, trust, environment and running service for known HTTPS/WSS failures'
            cand setup 'Walk from nothing to a trusted certificate and the lines to start an HTTPS/WSS service'
            cand completions 'Print a shell completion script'
            cand man 'Print a man page (roff) for tlsforge or one of its subcommands'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsforge;gen'= {
            cand -d 'A DNS name to cover (an IP address given here becomes an IP SAN); repeatable'
            cand --domain 'A DNS name to cover (an IP address given here becomes an IP SAN); repeatable'
            cand --ip 'An IP address to cover; repeatable'
            cand --days 'Days the certificate is valid (1..=825)'
            cand -o 'Directory to write into (created when missing)'
            cand --out 'Directory to write into (created when missing)'
            cand -n 'Base name of the files: <NAME>.crt and <NAME>.key'
            cand --name 'Base name of the files: <NAME>.crt and <NAME>.key'
            cand -k 'Key algorithm'
            cand --key 'Key algorithm'
            cand --ca-dir 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]'
            cand --p12-profile 'PKCS#12 protection: compat (opens everywhere, macOS included) or modern (AES-256; not macOS)'
            cand --p12-password-file 'Read the PKCS#12 password from the first line of FILE [default: `$TLSFORGE_P12_PASSWORD`, else ask]'
            cand --format 'Output format'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --ca 'Issue from tlsforge''s local CA (created on first use) instead of self-signing'
            cand --lan 'Also cover this machine''s LAN addresses and HOSTNAME.local: what other devices type'
            cand --client 'Also allow the certificate for TLS client authentication'
            cand --p12 'Also write <NAME>.p12 (PKCS#12: certificate, key and, with --ca, the CA; readable by you only)'
            cand -f 'Replace existing files'
            cand --force 'Replace existing files'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;export'= {
            cand --as 'What to write'
            cand --key 'The key of CERT, for p12 and k8s-secret [default: CERT with .key; the local CA''s own key]'
            cand -o 'Write to FILE instead of stdout'
            cand --out 'Write to FILE instead of stdout'
            cand -n 'The Kubernetes Secret and Issuer name, or the PKCS#12 friendly name [default: from CERT]'
            cand --name 'The Kubernetes Secret and Issuer name, or the PKCS#12 friendly name [default: from CERT]'
            cand --namespace 'The Kubernetes namespace of the objects [default: none, so kubectl''s current one; with --cluster-issuer the Secret goes to cert-manager]'
            cand --p12-profile 'PKCS#12 protection: compat (opens everywhere, macOS included) or modern (AES-256; not macOS)'
            cand --p12-password-file 'Read the PKCS#12 password from the first line of FILE [default: `$TLSFORGE_P12_PASSWORD`, else ask]'
            cand --ca-dir 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --cluster-issuer 'cert-manager: a `ClusterIssuer` (every namespace) instead of an `Issuer`'
            cand -f 'Replace an existing --out file'
            cand --force 'Replace an existing --out file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;ca'= {
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create the local CA (name-constrained to local names unless --unconstrained)'
            cand show 'Describe the local CA'
            cand path 'Print the local CA''s directory'
            cand export 'Write the local CA''s certificate (never its key) for other devices: PEM, DER, or an Apple configuration profile'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsforge;ca;init'= {
            cand --permit 'Also permit this DNS name (and its subdomains) or IP range (CIDR); repeatable'
            cand -k 'Key algorithm of the CA'
            cand --key 'Key algorithm of the CA'
            cand --ca-dir 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]'
            cand --format 'Output format'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --unconstrained 'No name constraints at all: the CA can vouch for any name, real sites included'
            cand -f 'Replace an existing CA (certificates it issued stop verifying)'
            cand --force 'Replace an existing CA (certificates it issued stop verifying)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;ca;show'= {
            cand --ca-dir 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]'
            cand --format 'Output format'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;ca;path'= {
            cand --ca-dir 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;ca;export'= {
            cand --format 'What to write'
            cand -o 'Write to FILE instead of stdout (DER and profiles are never written to a terminal)'
            cand --out 'Write to FILE instead of stdout (DER and profiles are never written to a terminal)'
            cand --ca-dir 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -f 'Replace FILE if it exists'
            cand --force 'Replace FILE if it exists'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;ca;help'= {
            cand init 'Create the local CA (name-constrained to local names unless --unconstrained)'
            cand show 'Describe the local CA'
            cand path 'Print the local CA''s directory'
            cand export 'Write the local CA''s certificate (never its key) for other devices: PEM, DER, or an Apple configuration profile'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsforge;ca;help;init'= {
        }
        &'tlsforge;ca;help;show'= {
        }
        &'tlsforge;ca;help;path'= {
        }
        &'tlsforge;ca;help;export'= {
        }
        &'tlsforge;ca;help;help'= {
        }
        &'tlsforge;share'= {
            cand --listen 'Where to listen: ADDR:PORT, or ADDR for a free port [default: this machine''s LAN address]'
            cand --timeout 'Stop after this long: 90s, 10m, 1h (a bare number is seconds; at most 24h)'
            cand --format 'Output format'
            cand --ca-dir 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --once 'Stop as soon as a device passes every check'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;proxy'= {
            cand --to 'The service to forward to: [http://]HOST:PORT'
            cand --route 'Send a path prefix to another service: PATH=HOST:PORT (/api=127.0.0.1:5001); repeatable'
            cand --listen 'Where to listen: ADDR:PORT [default: 127.0.0.1:5443; with --lan 0.0.0.0:5443]'
            cand --cert 'Serve this certificate (PEM, full chain) instead of one from the local CA'
            cand --key 'The key of --cert (PEM)'
            cand --backend-timeout 'Seconds a backend may take to answer with a response head (then 504)'
            cand --format 'Output format'
            cand --ca-dir 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --lan 'Listen on every interface, and cover this machine''s LAN addresses (phones, other computers)'
            cand --upgrade-insecure 'Add `Content-Security-Policy: upgrade-insecure-requests` to every response'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;list'= {
            cand --expiring-within 'Show only certificates that expire within DURATION: 30d, 12h, 90m, 3600s (a bare number is days)'
            cand --adopt 'Record these certificates (PEM, with NAME.key beside NAME.crt) made before the inventory existed'
            cand --ca-dir 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]'
            cand --format 'Output format'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --prune 'Forget certificates whose files are gone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;renew'= {
            cand --within 'Renew what expires within DURATION: 30d, 12h, 90m (a bare number is days) [default: a third of its lifetime, at least 7d]'
            cand --exec 'Run CMD after each renewal (reload the service), with its paths in the environment'
            cand --format 'Output format'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --all 'Renew every selected certificate, due or not'
            cand --reuse-key 'Sign for the key already there instead of making a new one'
            cand --trust 'Trust each renewed self-signed certificate again (`tlsforge trust CERT`)'
            cand --dry-run 'Print what would be done and change nothing'
            cand --install-timer 'Run `tlsforge renew` daily as you: a systemd user timer, a launchd agent or a scheduled task'
            cand --uninstall-timer 'Remove what --install-timer installed'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;inspect'= {
            cand --connect 'Inspect the chain a TLS server sends, and whether it is trusted; repeatable'
            cand --servername 'Server name to send (SNI) and check the certificate against [default: HOST]'
            cand --expiring-within 'Exit 1 when a certificate expires within DURATION: 30d, 12h, 90m, 3600s (a bare number is days)'
            cand --timeout 'Seconds to wait for a --connect server'
            cand --p12-password-file 'Read the PKCS#12 password from the first line of FILE [default: `$TLSFORGE_P12_PASSWORD`, else ask]'
            cand --ca-dir 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]'
            cand --format 'Output format'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -r 'Descend into subdirectories of directories'
            cand --recursive 'Descend into subdirectories of directories'
            cand --lint 'Check each certificate against the rules real clients enforce (Python 3.13+ strict, Apple, Chrome, rustls, Firefox)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;trust'= {
            cand --store 'A store to use; repeatable [default: every store found on this machine]'
            cand --key 'With --clients: the key of a self-signed CERT, to serve it [default: CERT with .key]'
            cand --ca-dir 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]'
            cand --format 'Output format'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --machine 'Windows and macOS: the machine-wide store (needs an administrator) instead of yours'
            cand --dry-run 'Print the steps (files, commands, which need root) and change nothing'
            cand --check 'Report what each client of the selected stores decides about CERT, by its own rules; exit 0 if every one trusts it, 3 if some do, 1 if none does'
            cand --clients 'With --check: prove it with real handshakes; CERT is served on a loopback port and every client found (curl, Python, Node, Java, Chromium, Firefox) connects'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;untrust'= {
            cand --store 'A store to use; repeatable [default: every store found on this machine]'
            cand --ca-dir 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]'
            cand --format 'Output format'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --machine 'Windows and macOS: the machine-wide store (needs an administrator) instead of yours'
            cand --dry-run 'Print the steps and change nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;env'= {
            cand -s 'Output format [default: detected from $SHELL; PowerShell or cmd on Windows]'
            cand --shell 'Output format [default: detected from $SHELL; PowerShell or cmd on Windows]'
            cand --cert 'The certificate [default: ./server.crt]'
            cand --key 'The private key [default: the certificate''s path ending in .key, e.g. ./server.key]'
            cand -w 'Set these variables in a .env file (created if missing), keeping every other line'
            cand --write 'Set these variables in a .env file (created if missing), keeping every other line'
            cand --ca-dir 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --disable 'Print ENABLE_SSL=false only: the service serves plain HTTP (no certificate needed)'
            cand --client-trust 'Also set NODE_EXTRA_CA_CERTS, and SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE to a bundle of the system roots plus the certificate (or the local CA), written next to it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;snippet'= {
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand nginx 'An nginx server block terminating HTTPS and WSS in front of a local service'
            cand compose 'A docker-compose service fragment mounting the certificate files read-only'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsforge;snippet;nginx'= {
            cand --cert 'The certificate [default: ./server.crt]'
            cand --key 'The private key [default: the certificate''s path ending in .key, e.g. ./server.key]'
            cand --port 'Port nginx listens on for HTTPS'
            cand --upstream 'The local service /api/ and /ws/ are passed to'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;snippet;compose'= {
            cand --cert 'The certificate [default: ./server.crt]'
            cand --key 'The private key [default: the certificate''s path ending in .key, e.g. ./server.key]'
            cand --service 'Name of the compose service'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;snippet;help'= {
            cand nginx 'An nginx server block terminating HTTPS and WSS in front of a local service'
            cand compose 'A docker-compose service fragment mounting the certificate files read-only'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsforge;snippet;help;nginx'= {
        }
        &'tlsforge;snippet;help;compose'= {
        }
        &'tlsforge;snippet;help;help'= {
        }
        &'tlsforge;doctor'= {
            cand --cert 'The certificate [default: `$SSL_CERT_PATH`, else ./server.crt]'
            cand --key 'The private key [default: --cert''s path ending in .key, else `$SSL_KEY_PATH`, else ./server.key]'
            cand --ca 'The CA certificate that issued it [default: tlsforge''s local CA, when it did]'
            cand --host 'A name clients use (DNS name or IP address) that the certificate must cover; repeatable'
            cand --connect 'Check the service at HOST:PORT: listening, TLS, serving this certificate, verifying; repeatable'
            cand --min-days 'Warn when the certificate expires within N days'
            cand --timeout 'Seconds to wait for a --connect service'
            cand --ca-dir 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]'
            cand --format 'Output format'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --strict 'Exit 1 on warnings too'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;setup'= {
            cand --purpose 'What the certificate is for [default: self-signed]'
            cand -d 'A DNS name to cover (an IP address given here becomes an IP SAN); repeatable'
            cand --domain 'A DNS name to cover (an IP address given here becomes an IP SAN); repeatable'
            cand --ip 'An IP address to cover; repeatable'
            cand --days 'Days the certificate is valid (1..=825) [default: 365]'
            cand -k 'Key algorithm [default: ecdsa-p256]'
            cand --key 'Key algorithm [default: ecdsa-p256]'
            cand -o 'Directory to write into [default: .]'
            cand --out 'Directory to write into [default: .]'
            cand -n 'Base name of the files: <NAME>.crt and <NAME>.key [default: server]'
            cand --name 'Base name of the files: <NAME>.crt and <NAME>.key [default: server]'
            cand --fullchain 'Production: the certificate chain that exists already (Let''s Encrypt''s fullchain.pem)'
            cand --privkey 'Production: its private key [default: privkey.pem beside --fullchain]'
            cand --store 'Trust the certificate (or the local CA) in this store now; repeatable [default: none]'
            cand -s 'The format of the printed env snippet [default: detected from $SHELL]'
            cand --shell 'The format of the printed env snippet [default: detected from $SHELL]'
            cand --env-file 'Also set SSL_CERT_PATH, SSL_KEY_PATH and ENABLE_SSL in this .env file [default: none]'
            cand --ca-dir 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]'
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -y 'Take the default for every question not answered by a flag; never prompt'
            cand --yes 'Take the default for every question not answered by a flag; never prompt'
            cand -f 'Replace existing files without asking'
            cand --force 'Replace existing files without asking'
            cand --no-trust 'Trust nothing now (the question is not asked)'
            cand --no-env-file 'Write no .env file (the question is not asked)'
            cand --share 'Local CA: then put the CA on phones and other devices (`tlsforge share`, until Ctrl-C or 10 minutes)'
            cand --no-share 'Do not offer `tlsforge share` (the question is not asked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;completions'= {
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;man'= {
            cand --color 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsforge;help'= {
            cand gen 'Generate a certificate and key for domains and IP addresses'
            cand export 'Write a certificate (default: the local CA) as DER, a full chain, PKCS#12 or Kubernetes manifests'
            cand ca 'Manage tlsforge''s local certificate authority'
            cand share 'Put the local CA on a phone or another device with one scan, and check HTTPS and WSS from it'
            cand proxy 'HTTPS and WSS in front of a plain HTTP/WebSocket service, with a certificate from the local CA'
            cand list 'List every certificate tlsforge wrote: days left, and whether its files are still the ones written'
            cand renew 'Re-issue recorded certificates that expire soon, then reload what serves them'
            cand inspect 'Show what certificates, keys and requests hold, and when certificates expire'
            cand trust 'Trust a certificate (default: the local CA) in the system, browser and Java stores'
            cand untrust 'Remove what `trust` added for a certificate, and nothing else'
            cand env 'Print SSL_CERT_PATH, SSL_KEY_PATH and ENABLE_SSL for your shell, a .env file or JSON'
            cand snippet 'Print configuration that uses the certificate: an nginx server block, a compose service'
            cand doctor 'Check the certificate, key, trust, environment and running service for known HTTPS/WSS failures'
            cand setup 'Walk from nothing to a trusted certificate and the lines to start an HTTPS/WSS service'
            cand completions 'Print a shell completion script'
            cand man 'Print a man page (roff) for tlsforge or one of its subcommands'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsforge;help;gen'= {
        }
        &'tlsforge;help;export'= {
        }
        &'tlsforge;help;ca'= {
            cand init 'Create the local CA (name-constrained to local names unless --unconstrained)'
            cand show 'Describe the local CA'
            cand path 'Print the local CA''s directory'
            cand export 'Write the local CA''s certificate (never its key) for other devices: PEM, DER, or an Apple configuration profile'
        }
        &'tlsforge;help;ca;init'= {
        }
        &'tlsforge;help;ca;show'= {
        }
        &'tlsforge;help;ca;path'= {
        }
        &'tlsforge;help;ca;export'= {
        }
        &'tlsforge;help;share'= {
        }
        &'tlsforge;help;proxy'= {
        }
        &'tlsforge;help;list'= {
        }
        &'tlsforge;help;renew'= {
        }
        &'tlsforge;help;inspect'= {
        }
        &'tlsforge;help;trust'= {
        }
        &'tlsforge;help;untrust'= {
        }
        &'tlsforge;help;env'= {
        }
        &'tlsforge;help;snippet'= {
            cand nginx 'An nginx server block terminating HTTPS and WSS in front of a local service'
            cand compose 'A docker-compose service fragment mounting the certificate files read-only'
        }
        &'tlsforge;help;snippet;nginx'= {
        }
        &'tlsforge;help;snippet;compose'= {
        }
        &'tlsforge;help;doctor'= {
        }
        &'tlsforge;help;setup'= {
        }
        &'tlsforge;help;completions'= {
        }
        &'tlsforge;help;man'= {
        }
        &'tlsforge;help;help'= {
        }
    ]
    $completions[$command]
}
