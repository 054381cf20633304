# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tlsforge_global_optspecs
    string join \n color= h/help V/version
end

function __fish_tlsforge_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tlsforge_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tlsforge_using_subcommand
    set -l cmd (__fish_tlsforge_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tlsforge -n "__fish_tlsforge_needs_command" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "gen" -d 'Generate a certificate and key for domains and IP addresses'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "export" -d 'Write a certificate (default: the local CA) as DER, a full chain, PKCS#12 or Kubernetes manifests'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "ca" -d 'Manage tlsforge\'s local certificate authority'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "share" -d 'Put the local CA on a phone or another device with one scan, and check HTTPS and WSS from it'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "proxy" -d 'HTTPS and WSS in front of a plain HTTP/WebSocket service, with a certificate from the local CA'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "list" -d 'List every certificate tlsforge wrote: days left, and whether its files are still the ones written'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "renew" -d 'Re-issue recorded certificates that expire soon, then reload what serves them'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "inspect" -d 'Show what certificates, keys and requests hold, and when certificates expire'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "trust" -d 'Trust a certificate (default: the local CA) in the system, browser and Java stores'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "untrust" -d 'Remove what `trust` added for a certificate, and nothing else'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "env" -d 'Print SSL_CERT_PATH, SSL_KEY_PATH and ENABLE_SSL for your shell, a .env file or JSON'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "snippet" -d 'Print configuration that uses the certificate: an nginx server block, a compose service'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "doctor" -d 'Check the certificate, key, trust, environment and running service for known HTTPS/WSS failures'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "setup" -d 'Walk from nothing to a trusted certificate and the lines to start an HTTPS/WSS service'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "man" -d 'Print a man page (roff) for tlsforge or one of its subcommands'
complete -c tlsforge -n "__fish_tlsforge_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -s d -l domain -d 'A DNS name to cover (an IP address given here becomes an IP SAN); repeatable' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -l ip -d 'An IP address to cover; repeatable' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -l days -d 'Days the certificate is valid (1..=825)' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -s o -l out -d 'Directory to write into (created when missing)' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -s n -l name -d 'Base name of the files: <NAME>.crt and <NAME>.key' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -s k -l key -d 'Key algorithm' -r -f -a "ecdsa-p256\t'ECDSA on P-256: fast, small, accepted everywhere (the default)'
ecdsa-p384\t'ECDSA on P-384'
ed25519\t'Ed25519: curl, OpenSSL and rustls accept it; browsers do not yet'
rsa-2048\t'RSA 2048 bits, for old clients (generation takes a moment)'
rsa-3072\t'RSA 3072 bits'
rsa-4096\t'RSA 4096 bits (generation can take seconds)'"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -l ca-dir -d 'Directory of the local CA [default: the user\'s data directory, e.g. ~/.local/share/tlsforge]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -l p12-profile -d 'PKCS#12 protection: compat (opens everywhere, macOS included) or modern (AES-256; not macOS)' -r -f -a "compat\t'PBE-SHA1-3DES + SHA-1 MAC: opens everywhere (macOS Keychain too); the password is transport protection only'
modern\t'PBES2 AES-256-CBC + PBKDF2-SHA-256 + HMAC-SHA-256 MAC: OpenSSL, Java, Windows 10+; not the macOS Keychain'"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -l p12-password-file -d 'Read the PKCS#12 password from the first line of FILE [default: `$TLSFORGE_P12_PASSWORD`, else ask]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -l ca -d 'Issue from tlsforge\'s local CA (created on first use) instead of self-signing'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -l lan -d 'Also cover this machine\'s LAN addresses and HOSTNAME.local: what other devices type'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -l client -d 'Also allow the certificate for TLS client authentication'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -l p12 -d 'Also write <NAME>.p12 (PKCS#12: certificate, key and, with --ca, the CA; readable by you only)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -s f -l force -d 'Replace existing files'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand gen" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand export" -l as -d 'What to write' -r -f -a "pem\t'PEM text of the certificate alone'
der\t'DER (binary `.cer`), for Windows and phones'
fullchain\t'PEM: the certificate, then its issuer from the local CA, for servers that want a chain'
mobileconfig\t'An Apple configuration profile (`.mobileconfig`), for iOS, iPadOS and macOS'
p12\t'PKCS#12 (`.p12`, `.pfx`) with the key, for Windows/IIS, Java, .NET and appliances'
k8s-secret\t'A Kubernetes `kubernetes.io/tls` Secret with the key (and `ca.crt` when the issuer is known)'
cert-manager\t'The local CA\'s Secret, a cert-manager Issuer of kind CA using it, and an example Certificate'"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand export" -l key -d 'The key of CERT, for p12 and k8s-secret [default: CERT with .key; the local CA\'s own key]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand export" -s o -l out -d 'Write to FILE instead of stdout' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand export" -s n -l name -d 'The Kubernetes Secret and Issuer name, or the PKCS#12 friendly name [default: from CERT]' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand export" -l namespace -d 'The Kubernetes namespace of the objects [default: none, so kubectl\'s current one; with --cluster-issuer the Secret goes to cert-manager]' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand export" -l p12-profile -d 'PKCS#12 protection: compat (opens everywhere, macOS included) or modern (AES-256; not macOS)' -r -f -a "compat\t'PBE-SHA1-3DES + SHA-1 MAC: opens everywhere (macOS Keychain too); the password is transport protection only'
modern\t'PBES2 AES-256-CBC + PBKDF2-SHA-256 + HMAC-SHA-256 MAC: OpenSSL, Java, Windows 10+; not the macOS Keychain'"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand export" -l p12-password-file -d 'Read the PKCS#12 password from the first line of FILE [default: `$TLSFORGE_P12_PASSWORD`, else ask]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand export" -l ca-dir -d 'Directory of the local CA [default: the user\'s data directory, e.g. ~/.local/share/tlsforge]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand export" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand export" -l cluster-issuer -d 'cert-manager: a `ClusterIssuer` (every namespace) instead of an `Issuer`'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand export" -s f -l force -d 'Replace an existing --out file'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand export" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and not __fish_seen_subcommand_from init show path export help" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and not __fish_seen_subcommand_from init show path export help" -s h -l help -d 'Print help'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and not __fish_seen_subcommand_from init show path export help" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and not __fish_seen_subcommand_from init show path export help" -f -a "init" -d 'Create the local CA (name-constrained to local names unless --unconstrained)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and not __fish_seen_subcommand_from init show path export help" -f -a "show" -d 'Describe the local CA'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and not __fish_seen_subcommand_from init show path export help" -f -a "path" -d 'Print the local CA\'s directory'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and not __fish_seen_subcommand_from init show path export help" -f -a "export" -d 'Write the local CA\'s certificate (never its key) for other devices: PEM, DER, or an Apple configuration profile'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and not __fish_seen_subcommand_from init show path export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from init" -l permit -d 'Also permit this DNS name (and its subdomains) or IP range (CIDR); repeatable' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from init" -s k -l key -d 'Key algorithm of the CA' -r -f -a "ecdsa-p256\t'ECDSA on P-256: fast, small, accepted everywhere (the default)'
ecdsa-p384\t'ECDSA on P-384'
ed25519\t'Ed25519: curl, OpenSSL and rustls accept it; browsers do not yet'
rsa-2048\t'RSA 2048 bits, for old clients (generation takes a moment)'
rsa-3072\t'RSA 3072 bits'
rsa-4096\t'RSA 4096 bits (generation can take seconds)'"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from init" -l ca-dir -d 'Directory of the local CA [default: the user\'s data directory, e.g. ~/.local/share/tlsforge]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from init" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from init" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from init" -l unconstrained -d 'No name constraints at all: the CA can vouch for any name, real sites included'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from init" -s f -l force -d 'Replace an existing CA (certificates it issued stop verifying)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from show" -l ca-dir -d 'Directory of the local CA [default: the user\'s data directory, e.g. ~/.local/share/tlsforge]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from show" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from show" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from path" -l ca-dir -d 'Directory of the local CA [default: the user\'s data directory, e.g. ~/.local/share/tlsforge]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from path" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from export" -l format -d 'What to write' -r -f -a "pem\t'PEM text (`-----BEGIN CERTIFICATE-----`), for most tools'
der\t'DER (binary `.crt`/`.cer`), for Android and Windows'
mobileconfig\t'An Apple configuration profile (`.mobileconfig`), for iOS, iPadOS and macOS'"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from export" -s o -l out -d 'Write to FILE instead of stdout (DER and profiles are never written to a terminal)' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from export" -l ca-dir -d 'Directory of the local CA [default: the user\'s data directory, e.g. ~/.local/share/tlsforge]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from export" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from export" -s f -l force -d 'Replace FILE if it exists'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from help" -f -a "init" -d 'Create the local CA (name-constrained to local names unless --unconstrained)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from help" -f -a "show" -d 'Describe the local CA'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the local CA\'s directory'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write the local CA\'s certificate (never its key) for other devices: PEM, DER, or an Apple configuration profile'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand ca; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand share" -l listen -d 'Where to listen: ADDR:PORT, or ADDR for a free port [default: this machine\'s LAN address]' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand share" -l timeout -d 'Stop after this long: 90s, 10m, 1h (a bare number is seconds; at most 24h)' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand share" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand share" -l ca-dir -d 'Directory of the local CA [default: the user\'s data directory, e.g. ~/.local/share/tlsforge]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand share" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand share" -l once -d 'Stop as soon as a device passes every check'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand share" -s h -l help -d 'Print help'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand share" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand proxy" -l to -d 'The service to forward to: [http://]HOST:PORT' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand proxy" -l route -d 'Send a path prefix to another service: PATH=HOST:PORT (/api=127.0.0.1:5001); repeatable' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand proxy" -l listen -d 'Where to listen: ADDR:PORT [default: 127.0.0.1:5443; with --lan 0.0.0.0:5443]' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand proxy" -l cert -d 'Serve this certificate (PEM, full chain) instead of one from the local CA' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand proxy" -l key -d 'The key of --cert (PEM)' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand proxy" -l backend-timeout -d 'Seconds a backend may take to answer with a response head (then 504)' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand proxy" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand proxy" -l ca-dir -d 'Directory of the local CA [default: the user\'s data directory, e.g. ~/.local/share/tlsforge]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand proxy" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand proxy" -l lan -d 'Listen on every interface, and cover this machine\'s LAN addresses (phones, other computers)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand proxy" -l upgrade-insecure -d 'Add `Content-Security-Policy: upgrade-insecure-requests` to every response'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand proxy" -s h -l help -d 'Print help'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand proxy" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand list" -l expiring-within -d 'Show only certificates that expire within DURATION: 30d, 12h, 90m, 3600s (a bare number is days)' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand list" -l adopt -d 'Record these certificates (PEM, with NAME.key beside NAME.crt) made before the inventory existed' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand list" -l ca-dir -d 'Directory of the local CA [default: the user\'s data directory, e.g. ~/.local/share/tlsforge]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand list" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand list" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand list" -l prune -d 'Forget certificates whose files are gone'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand list" -s h -l help -d 'Print help'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand list" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand renew" -l within -d 'Renew what expires within DURATION: 30d, 12h, 90m (a bare number is days) [default: a third of its lifetime, at least 7d]' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand renew" -l exec -d 'Run CMD after each renewal (reload the service), with its paths in the environment' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand renew" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand renew" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand renew" -l all -d 'Renew every selected certificate, due or not'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand renew" -l reuse-key -d 'Sign for the key already there instead of making a new one'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand renew" -l trust -d 'Trust each renewed self-signed certificate again (`tlsforge trust CERT`)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand renew" -l dry-run -d 'Print what would be done and change nothing'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand renew" -l install-timer -d 'Run `tlsforge renew` daily as you: a systemd user timer, a launchd agent or a scheduled task'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand renew" -l uninstall-timer -d 'Remove what --install-timer installed'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand renew" -s h -l help -d 'Print help'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand renew" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand inspect" -l connect -d 'Inspect the chain a TLS server sends, and whether it is trusted; repeatable' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand inspect" -l servername -d 'Server name to send (SNI) and check the certificate against [default: HOST]' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand inspect" -l expiring-within -d 'Exit 1 when a certificate expires within DURATION: 30d, 12h, 90m, 3600s (a bare number is days)' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand inspect" -l timeout -d 'Seconds to wait for a --connect server' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand inspect" -l p12-password-file -d 'Read the PKCS#12 password from the first line of FILE [default: `$TLSFORGE_P12_PASSWORD`, else ask]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand inspect" -l ca-dir -d 'Directory of the local CA [default: the user\'s data directory, e.g. ~/.local/share/tlsforge]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand inspect" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand inspect" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand inspect" -s r -l recursive -d 'Descend into subdirectories of directories'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand inspect" -l lint -d 'Check each certificate against the rules real clients enforce (Python 3.13+ strict, Apple, Chrome, rustls, Firefox)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand trust" -l store -d 'A store to use; repeatable [default: every store found on this machine]' -r -f -a "system\t'The OS store: Linux anchors, the macOS keychain, the Windows Root store'
nss\t'NSS databases: Chrome/Chromium on Linux, Firefox profiles'
java\t'Java\'s cacerts, through keytool'
windows\t'From WSL: the Windows host\'s store, through certutil.exe'
all\t'Every store found on this machine'"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand trust" -l key -d 'With --clients: the key of a self-signed CERT, to serve it [default: CERT with .key]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand trust" -l ca-dir -d 'Directory of the local CA [default: the user\'s data directory, e.g. ~/.local/share/tlsforge]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand trust" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand trust" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand trust" -l machine -d 'Windows and macOS: the machine-wide store (needs an administrator) instead of yours'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand trust" -l dry-run -d 'Print the steps (files, commands, which need root) and change nothing'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand trust" -l check -d 'Report what each client of the selected stores decides about CERT, by its own rules; exit 0 if every one trusts it, 3 if some do, 1 if none does'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand trust" -l clients -d 'With --check: prove it with real handshakes; CERT is served on a loopback port and every client found (curl, Python, Node, Java, Chromium, Firefox) connects'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand trust" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand trust" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand untrust" -l store -d 'A store to use; repeatable [default: every store found on this machine]' -r -f -a "system\t'The OS store: Linux anchors, the macOS keychain, the Windows Root store'
nss\t'NSS databases: Chrome/Chromium on Linux, Firefox profiles'
java\t'Java\'s cacerts, through keytool'
windows\t'From WSL: the Windows host\'s store, through certutil.exe'
all\t'Every store found on this machine'"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand untrust" -l ca-dir -d 'Directory of the local CA [default: the user\'s data directory, e.g. ~/.local/share/tlsforge]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand untrust" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand untrust" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand untrust" -l machine -d 'Windows and macOS: the machine-wide store (needs an administrator) instead of yours'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand untrust" -l dry-run -d 'Print the steps and change nothing'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand untrust" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand untrust" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand env" -s s -l shell -d 'Output format [default: detected from $SHELL; PowerShell or cmd on Windows]' -r -f -a "bash\t''
zsh\t''
sh\t'POSIX sh: dash, ash, ksh'
fish\t''
powershell\t''
cmd\t''
dotenv\t'A .env file'
json\t'A JSON object of variables'"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand env" -l cert -d 'The certificate [default: ./server.crt]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand env" -l key -d 'The private key [default: the certificate\'s path ending in .key, e.g. ./server.key]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand env" -s w -l write -d 'Set these variables in a .env file (created if missing), keeping every other line' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand env" -l ca-dir -d 'Directory of the local CA [default: the user\'s data directory, e.g. ~/.local/share/tlsforge]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand env" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand env" -l disable -d 'Print ENABLE_SSL=false only: the service serves plain HTTP (no certificate needed)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand env" -l client-trust -d 'Also set NODE_EXTRA_CA_CERTS, and SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE to a bundle of the system roots plus the certificate (or the local CA), written next to it'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand env" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand env" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and not __fish_seen_subcommand_from nginx compose help" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and not __fish_seen_subcommand_from nginx compose help" -s h -l help -d 'Print help'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and not __fish_seen_subcommand_from nginx compose help" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and not __fish_seen_subcommand_from nginx compose help" -f -a "nginx" -d 'An nginx server block terminating HTTPS and WSS in front of a local service'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and not __fish_seen_subcommand_from nginx compose help" -f -a "compose" -d 'A docker-compose service fragment mounting the certificate files read-only'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and not __fish_seen_subcommand_from nginx compose help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from nginx" -l cert -d 'The certificate [default: ./server.crt]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from nginx" -l key -d 'The private key [default: the certificate\'s path ending in .key, e.g. ./server.key]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from nginx" -l port -d 'Port nginx listens on for HTTPS' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from nginx" -l upstream -d 'The local service /api/ and /ws/ are passed to' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from nginx" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from nginx" -s h -l help -d 'Print help'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from nginx" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from compose" -l cert -d 'The certificate [default: ./server.crt]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from compose" -l key -d 'The private key [default: the certificate\'s path ending in .key, e.g. ./server.key]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from compose" -l service -d 'Name of the compose service' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from compose" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from compose" -s h -l help -d 'Print help'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from compose" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from help" -f -a "nginx" -d 'An nginx server block terminating HTTPS and WSS in front of a local service'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from help" -f -a "compose" -d 'A docker-compose service fragment mounting the certificate files read-only'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand snippet; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand doctor" -l cert -d 'The certificate [default: `$SSL_CERT_PATH`, else ./server.crt]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand doctor" -l key -d 'The private key [default: --cert\'s path ending in .key, else `$SSL_KEY_PATH`, else ./server.key]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand doctor" -l ca -d 'The CA certificate that issued it [default: tlsforge\'s local CA, when it did]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand doctor" -l host -d 'A name clients use (DNS name or IP address) that the certificate must cover; repeatable' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand doctor" -l connect -d 'Check the service at HOST:PORT: listening, TLS, serving this certificate, verifying; repeatable' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand doctor" -l min-days -d 'Warn when the certificate expires within N days' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand doctor" -l timeout -d 'Seconds to wait for a --connect service' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand doctor" -l ca-dir -d 'Directory of the local CA [default: the user\'s data directory, e.g. ~/.local/share/tlsforge]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand doctor" -l format -d 'Output format' -r -f -a "human\t''
json\t''
github\t'GitHub Actions workflow commands (`::error`, `::warning`), for CI annotations'"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand doctor" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand doctor" -l strict -d 'Exit 1 on warnings too'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -l purpose -d 'What the certificate is for [default: self-signed]' -r -f -a "self-signed\t'Local development with a self-signed certificate'
ca\t'Local development with tlsforge\'s local CA (several services, phones and other devices)'
production\t'Production with certificates that exist already (Let\'s Encrypt): checked, never issued'"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -s d -l domain -d 'A DNS name to cover (an IP address given here becomes an IP SAN); repeatable' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -l ip -d 'An IP address to cover; repeatable' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -l days -d 'Days the certificate is valid (1..=825) [default: 365]' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -s k -l key -d 'Key algorithm [default: ecdsa-p256]' -r -f -a "ecdsa-p256\t'ECDSA on P-256: fast, small, accepted everywhere (the default)'
ecdsa-p384\t'ECDSA on P-384'
ed25519\t'Ed25519: curl, OpenSSL and rustls accept it; browsers do not yet'
rsa-2048\t'RSA 2048 bits, for old clients (generation takes a moment)'
rsa-3072\t'RSA 3072 bits'
rsa-4096\t'RSA 4096 bits (generation can take seconds)'"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -s o -l out -d 'Directory to write into [default: .]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -s n -l name -d 'Base name of the files: <NAME>.crt and <NAME>.key [default: server]' -r
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -l fullchain -d 'Production: the certificate chain that exists already (Let\'s Encrypt\'s fullchain.pem)' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -l privkey -d 'Production: its private key [default: privkey.pem beside --fullchain]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -l store -d 'Trust the certificate (or the local CA) in this store now; repeatable [default: none]' -r -f -a "system\t'The OS store: Linux anchors, the macOS keychain, the Windows Root store'
nss\t'NSS databases: Chrome/Chromium on Linux, Firefox profiles'
java\t'Java\'s cacerts, through keytool'
windows\t'From WSL: the Windows host\'s store, through certutil.exe'
all\t'Every store found on this machine'"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -s s -l shell -d 'The format of the printed env snippet [default: detected from $SHELL]' -r -f -a "bash\t''
zsh\t''
sh\t'POSIX sh: dash, ash, ksh'
fish\t''
powershell\t''
cmd\t''
dotenv\t'A .env file'
json\t'A JSON object of variables'"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -l env-file -d 'Also set SSL_CERT_PATH, SSL_KEY_PATH and ENABLE_SSL in this .env file [default: none]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -l ca-dir -d 'Directory of the local CA [default: the user\'s data directory, e.g. ~/.local/share/tlsforge]' -r -F
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -s y -l yes -d 'Take the default for every question not answered by a flag; never prompt'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -s f -l force -d 'Replace existing files without asking'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -l no-trust -d 'Trust nothing now (the question is not asked)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -l no-env-file -d 'Write no .env file (the question is not asked)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -l share -d 'Local CA: then put the CA on phones and other devices (`tlsforge share`, until Ctrl-C or 10 minutes)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -l no-share -d 'Do not offer `tlsforge share` (the question is not asked)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand setup" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand completions" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand completions" -s h -l help -d 'Print help'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand completions" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand man" -l color -d 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsforge -n "__fish_tlsforge_using_subcommand man" -s h -l help -d 'Print help'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand man" -s V -l version -d 'Print version'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "gen" -d 'Generate a certificate and key for domains and IP addresses'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "export" -d 'Write a certificate (default: the local CA) as DER, a full chain, PKCS#12 or Kubernetes manifests'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "ca" -d 'Manage tlsforge\'s local certificate authority'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "share" -d 'Put the local CA on a phone or another device with one scan, and check HTTPS and WSS from it'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "proxy" -d 'HTTPS and WSS in front of a plain HTTP/WebSocket service, with a certificate from the local CA'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "list" -d 'List every certificate tlsforge wrote: days left, and whether its files are still the ones written'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "renew" -d 'Re-issue recorded certificates that expire soon, then reload what serves them'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "inspect" -d 'Show what certificates, keys and requests hold, and when certificates expire'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "trust" -d 'Trust a certificate (default: the local CA) in the system, browser and Java stores'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "untrust" -d 'Remove what `trust` added for a certificate, and nothing else'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "env" -d 'Print SSL_CERT_PATH, SSL_KEY_PATH and ENABLE_SSL for your shell, a .env file or JSON'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "snippet" -d 'Print configuration that uses the certificate: an nginx server block, a compose service'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "doctor" -d 'Check the certificate, key, trust, environment and running service for known HTTPS/WSS failures'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "setup" -d 'Walk from nothing to a trusted certificate and the lines to start an HTTPS/WSS service'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "man" -d 'Print a man page (roff) for tlsforge or one of its subcommands'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and not __fish_seen_subcommand_from gen export ca share proxy list renew inspect trust untrust env snippet doctor setup completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and __fish_seen_subcommand_from ca" -f -a "init" -d 'Create the local CA (name-constrained to local names unless --unconstrained)'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and __fish_seen_subcommand_from ca" -f -a "show" -d 'Describe the local CA'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and __fish_seen_subcommand_from ca" -f -a "path" -d 'Print the local CA\'s directory'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and __fish_seen_subcommand_from ca" -f -a "export" -d 'Write the local CA\'s certificate (never its key) for other devices: PEM, DER, or an Apple configuration profile'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and __fish_seen_subcommand_from snippet" -f -a "nginx" -d 'An nginx server block terminating HTTPS and WSS in front of a local service'
complete -c tlsforge -n "__fish_tlsforge_using_subcommand help; and __fish_seen_subcommand_from snippet" -f -a "compose" -d 'A docker-compose service fragment mounting the certificate files read-only'
