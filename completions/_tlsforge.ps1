
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'tlsforge' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'tlsforge'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'tlsforge' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('gen', 'gen', [CompletionResultType]::ParameterValue, 'Generate a certificate and key for domains and IP addresses')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write a certificate (default: the local CA) as DER, a full chain, PKCS#12 or Kubernetes manifests')
            [CompletionResult]::new('ca', 'ca', [CompletionResultType]::ParameterValue, 'Manage tlsforge''s local certificate authority')
            [CompletionResult]::new('share', 'share', [CompletionResultType]::ParameterValue, 'Put the local CA on a phone or another device with one scan, and check HTTPS and WSS from it')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'HTTPS and WSS in front of a plain HTTP/WebSocket service, with a certificate from the local CA')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every certificate tlsforge wrote: days left, and whether its files are still the ones written')
            [CompletionResult]::new('renew', 'renew', [CompletionResultType]::ParameterValue, 'Re-issue recorded certificates that expire soon, then reload what serves them')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show what certificates, keys and requests hold, and when certificates expire')
            [CompletionResult]::new('trust', 'trust', [CompletionResultType]::ParameterValue, 'Trust a certificate (default: the local CA) in the system, browser and Java stores')
            [CompletionResult]::new('untrust', 'untrust', [CompletionResultType]::ParameterValue, 'Remove what `trust` added for a certificate, and nothing else')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print SSL_CERT_PATH, SSL_KEY_PATH and ENABLE_SSL for your shell, a .env file or JSON')
            [CompletionResult]::new('snippet', 'snippet', [CompletionResultType]::ParameterValue, 'Print configuration that uses the certificate: an nginx server block, a compose service')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the certificate, key, trust, environment and running service for known HTTPS/WSS failures')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Walk from nothing to a trusted certificate and the lines to start an HTTPS/WSS service')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a man page (roff) for tlsforge or one of its subcommands')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsforge;gen' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'A DNS name to cover (an IP address given here becomes an IP SAN); repeatable')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'A DNS name to cover (an IP address given here becomes an IP SAN); repeatable')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'An IP address to cover; repeatable')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Days the certificate is valid (1..=825)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Directory to write into (created when missing)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory to write into (created when missing)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Base name of the files: <NAME>.crt and <NAME>.key')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Base name of the files: <NAME>.crt and <NAME>.key')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Key algorithm')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key algorithm')
            [CompletionResult]::new('--ca-dir', '--ca-dir', [CompletionResultType]::ParameterName, 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]')
            [CompletionResult]::new('--p12-profile', '--p12-profile', [CompletionResultType]::ParameterName, 'PKCS#12 protection: compat (opens everywhere, macOS included) or modern (AES-256; not macOS)')
            [CompletionResult]::new('--p12-password-file', '--p12-password-file', [CompletionResultType]::ParameterName, 'Read the PKCS#12 password from the first line of FILE [default: `$TLSFORGE_P12_PASSWORD`, else ask]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'Issue from tlsforge''s local CA (created on first use) instead of self-signing')
            [CompletionResult]::new('--lan', '--lan', [CompletionResultType]::ParameterName, 'Also cover this machine''s LAN addresses and HOSTNAME.local: what other devices type')
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'Also allow the certificate for TLS client authentication')
            [CompletionResult]::new('--p12', '--p12', [CompletionResultType]::ParameterName, 'Also write <NAME>.p12 (PKCS#12: certificate, key and, with --ca, the CA; readable by you only)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Replace existing files')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing files')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;export' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'What to write')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The key of CERT, for p12 and k8s-secret [default: CERT with .key; the local CA''s own key]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The Kubernetes Secret and Issuer name, or the PKCS#12 friendly name [default: from CERT]')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The Kubernetes Secret and Issuer name, or the PKCS#12 friendly name [default: from CERT]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The Kubernetes namespace of the objects [default: none, so kubectl''s current one; with --cluster-issuer the Secret goes to cert-manager]')
            [CompletionResult]::new('--p12-profile', '--p12-profile', [CompletionResultType]::ParameterName, 'PKCS#12 protection: compat (opens everywhere, macOS included) or modern (AES-256; not macOS)')
            [CompletionResult]::new('--p12-password-file', '--p12-password-file', [CompletionResultType]::ParameterName, 'Read the PKCS#12 password from the first line of FILE [default: `$TLSFORGE_P12_PASSWORD`, else ask]')
            [CompletionResult]::new('--ca-dir', '--ca-dir', [CompletionResultType]::ParameterName, 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--cluster-issuer', '--cluster-issuer', [CompletionResultType]::ParameterName, 'cert-manager: a `ClusterIssuer` (every namespace) instead of an `Issuer`')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Replace an existing --out file')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing --out file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;ca' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the local CA (name-constrained to local names unless --unconstrained)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Describe the local CA')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the local CA''s directory')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the local CA''s certificate (never its key) for other devices: PEM, DER, or an Apple configuration profile')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsforge;ca;init' {
            [CompletionResult]::new('--permit', '--permit', [CompletionResultType]::ParameterName, 'Also permit this DNS name (and its subdomains) or IP range (CIDR); repeatable')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Key algorithm of the CA')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key algorithm of the CA')
            [CompletionResult]::new('--ca-dir', '--ca-dir', [CompletionResultType]::ParameterName, 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--unconstrained', '--unconstrained', [CompletionResultType]::ParameterName, 'No name constraints at all: the CA can vouch for any name, real sites included')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Replace an existing CA (certificates it issued stop verifying)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing CA (certificates it issued stop verifying)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;ca;show' {
            [CompletionResult]::new('--ca-dir', '--ca-dir', [CompletionResultType]::ParameterName, 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;ca;path' {
            [CompletionResult]::new('--ca-dir', '--ca-dir', [CompletionResultType]::ParameterName, 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;ca;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'What to write')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout (DER and profiles are never written to a terminal)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout (DER and profiles are never written to a terminal)')
            [CompletionResult]::new('--ca-dir', '--ca-dir', [CompletionResultType]::ParameterName, 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;ca;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the local CA (name-constrained to local names unless --unconstrained)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Describe the local CA')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the local CA''s directory')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the local CA''s certificate (never its key) for other devices: PEM, DER, or an Apple configuration profile')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsforge;ca;help;init' {
            break
        }
        'tlsforge;ca;help;show' {
            break
        }
        'tlsforge;ca;help;path' {
            break
        }
        'tlsforge;ca;help;export' {
            break
        }
        'tlsforge;ca;help;help' {
            break
        }
        'tlsforge;share' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Where to listen: ADDR:PORT, or ADDR for a free port [default: this machine''s LAN address]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop after this long: 90s, 10m, 1h (a bare number is seconds; at most 24h)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--ca-dir', '--ca-dir', [CompletionResultType]::ParameterName, 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'Stop as soon as a device passes every check')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;proxy' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The service to forward to: [http://]HOST:PORT')
            [CompletionResult]::new('--route', '--route', [CompletionResultType]::ParameterName, 'Send a path prefix to another service: PATH=HOST:PORT (/api=127.0.0.1:5001); repeatable')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Where to listen: ADDR:PORT [default: 127.0.0.1:5443; with --lan 0.0.0.0:5443]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Serve this certificate (PEM, full chain) instead of one from the local CA')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The key of --cert (PEM)')
            [CompletionResult]::new('--backend-timeout', '--backend-timeout', [CompletionResultType]::ParameterName, 'Seconds a backend may take to answer with a response head (then 504)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--ca-dir', '--ca-dir', [CompletionResultType]::ParameterName, 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--lan', '--lan', [CompletionResultType]::ParameterName, 'Listen on every interface, and cover this machine''s LAN addresses (phones, other computers)')
            [CompletionResult]::new('--upgrade-insecure', '--upgrade-insecure', [CompletionResultType]::ParameterName, 'Add `Content-Security-Policy: upgrade-insecure-requests` to every response')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;list' {
            [CompletionResult]::new('--expiring-within', '--expiring-within', [CompletionResultType]::ParameterName, 'Show only certificates that expire within DURATION: 30d, 12h, 90m, 3600s (a bare number is days)')
            [CompletionResult]::new('--adopt', '--adopt', [CompletionResultType]::ParameterName, 'Record these certificates (PEM, with NAME.key beside NAME.crt) made before the inventory existed')
            [CompletionResult]::new('--ca-dir', '--ca-dir', [CompletionResultType]::ParameterName, 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Forget certificates whose files are gone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;renew' {
            [CompletionResult]::new('--within', '--within', [CompletionResultType]::ParameterName, 'Renew what expires within DURATION: 30d, 12h, 90m (a bare number is days) [default: a third of its lifetime, at least 7d]')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Run CMD after each renewal (reload the service), with its paths in the environment')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Renew every selected certificate, due or not')
            [CompletionResult]::new('--reuse-key', '--reuse-key', [CompletionResultType]::ParameterName, 'Sign for the key already there instead of making a new one')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust each renewed self-signed certificate again (`tlsforge trust CERT`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be done and change nothing')
            [CompletionResult]::new('--install-timer', '--install-timer', [CompletionResultType]::ParameterName, 'Run `tlsforge renew` daily as you: a systemd user timer, a launchd agent or a scheduled task')
            [CompletionResult]::new('--uninstall-timer', '--uninstall-timer', [CompletionResultType]::ParameterName, 'Remove what --install-timer installed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;inspect' {
            [CompletionResult]::new('--connect', '--connect', [CompletionResultType]::ParameterName, 'Inspect the chain a TLS server sends, and whether it is trusted; repeatable')
            [CompletionResult]::new('--servername', '--servername', [CompletionResultType]::ParameterName, 'Server name to send (SNI) and check the certificate against [default: HOST]')
            [CompletionResult]::new('--expiring-within', '--expiring-within', [CompletionResultType]::ParameterName, 'Exit 1 when a certificate expires within DURATION: 30d, 12h, 90m, 3600s (a bare number is days)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a --connect server')
            [CompletionResult]::new('--p12-password-file', '--p12-password-file', [CompletionResultType]::ParameterName, 'Read the PKCS#12 password from the first line of FILE [default: `$TLSFORGE_P12_PASSWORD`, else ask]')
            [CompletionResult]::new('--ca-dir', '--ca-dir', [CompletionResultType]::ParameterName, 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Descend into subdirectories of directories')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Descend into subdirectories of directories')
            [CompletionResult]::new('--lint', '--lint', [CompletionResultType]::ParameterName, 'Check each certificate against the rules real clients enforce (Python 3.13+ strict, Apple, Chrome, rustls, Firefox)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;trust' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'A store to use; repeatable [default: every store found on this machine]')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'With --clients: the key of a self-signed CERT, to serve it [default: CERT with .key]')
            [CompletionResult]::new('--ca-dir', '--ca-dir', [CompletionResultType]::ParameterName, 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--machine', '--machine', [CompletionResultType]::ParameterName, 'Windows and macOS: the machine-wide store (needs an administrator) instead of yours')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the steps (files, commands, which need root) and change nothing')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Report what each client of the selected stores decides about CERT, by its own rules; exit 0 if every one trusts it, 3 if some do, 1 if none does')
            [CompletionResult]::new('--clients', '--clients', [CompletionResultType]::ParameterName, 'With --check: prove it with real handshakes; CERT is served on a loopback port and every client found (curl, Python, Node, Java, Chromium, Firefox) connects')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;untrust' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'A store to use; repeatable [default: every store found on this machine]')
            [CompletionResult]::new('--ca-dir', '--ca-dir', [CompletionResultType]::ParameterName, 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--machine', '--machine', [CompletionResultType]::ParameterName, 'Windows and macOS: the machine-wide store (needs an administrator) instead of yours')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the steps and change nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;env' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Output format [default: detected from $SHELL; PowerShell or cmd on Windows]')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Output format [default: detected from $SHELL; PowerShell or cmd on Windows]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'The certificate [default: ./server.crt]')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key [default: the certificate''s path ending in .key, e.g. ./server.key]')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Set these variables in a .env file (created if missing), keeping every other line')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Set these variables in a .env file (created if missing), keeping every other line')
            [CompletionResult]::new('--ca-dir', '--ca-dir', [CompletionResultType]::ParameterName, 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Print ENABLE_SSL=false only: the service serves plain HTTP (no certificate needed)')
            [CompletionResult]::new('--client-trust', '--client-trust', [CompletionResultType]::ParameterName, 'Also set NODE_EXTRA_CA_CERTS, and SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE to a bundle of the system roots plus the certificate (or the local CA), written next to it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;snippet' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('nginx', 'nginx', [CompletionResultType]::ParameterValue, 'An nginx server block terminating HTTPS and WSS in front of a local service')
            [CompletionResult]::new('compose', 'compose', [CompletionResultType]::ParameterValue, 'A docker-compose service fragment mounting the certificate files read-only')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsforge;snippet;nginx' {
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'The certificate [default: ./server.crt]')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key [default: the certificate''s path ending in .key, e.g. ./server.key]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port nginx listens on for HTTPS')
            [CompletionResult]::new('--upstream', '--upstream', [CompletionResultType]::ParameterName, 'The local service /api/ and /ws/ are passed to')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;snippet;compose' {
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'The certificate [default: ./server.crt]')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key [default: the certificate''s path ending in .key, e.g. ./server.key]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Name of the compose service')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;snippet;help' {
            [CompletionResult]::new('nginx', 'nginx', [CompletionResultType]::ParameterValue, 'An nginx server block terminating HTTPS and WSS in front of a local service')
            [CompletionResult]::new('compose', 'compose', [CompletionResultType]::ParameterValue, 'A docker-compose service fragment mounting the certificate files read-only')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsforge;snippet;help;nginx' {
            break
        }
        'tlsforge;snippet;help;compose' {
            break
        }
        'tlsforge;snippet;help;help' {
            break
        }
        'tlsforge;doctor' {
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'The certificate [default: `$SSL_CERT_PATH`, else ./server.crt]')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key [default: --cert''s path ending in .key, else `$SSL_KEY_PATH`, else ./server.key]')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'The CA certificate that issued it [default: tlsforge''s local CA, when it did]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'A name clients use (DNS name or IP address) that the certificate must cover; repeatable')
            [CompletionResult]::new('--connect', '--connect', [CompletionResultType]::ParameterName, 'Check the service at HOST:PORT: listening, TLS, serving this certificate, verifying; repeatable')
            [CompletionResult]::new('--min-days', '--min-days', [CompletionResultType]::ParameterName, 'Warn when the certificate expires within N days')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a --connect service')
            [CompletionResult]::new('--ca-dir', '--ca-dir', [CompletionResultType]::ParameterName, 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 1 on warnings too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;setup' {
            [CompletionResult]::new('--purpose', '--purpose', [CompletionResultType]::ParameterName, 'What the certificate is for [default: self-signed]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'A DNS name to cover (an IP address given here becomes an IP SAN); repeatable')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'A DNS name to cover (an IP address given here becomes an IP SAN); repeatable')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'An IP address to cover; repeatable')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Days the certificate is valid (1..=825) [default: 365]')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Key algorithm [default: ecdsa-p256]')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key algorithm [default: ecdsa-p256]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Directory to write into [default: .]')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory to write into [default: .]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Base name of the files: <NAME>.crt and <NAME>.key [default: server]')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Base name of the files: <NAME>.crt and <NAME>.key [default: server]')
            [CompletionResult]::new('--fullchain', '--fullchain', [CompletionResultType]::ParameterName, 'Production: the certificate chain that exists already (Let''s Encrypt''s fullchain.pem)')
            [CompletionResult]::new('--privkey', '--privkey', [CompletionResultType]::ParameterName, 'Production: its private key [default: privkey.pem beside --fullchain]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Trust the certificate (or the local CA) in this store now; repeatable [default: none]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The format of the printed env snippet [default: detected from $SHELL]')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'The format of the printed env snippet [default: detected from $SHELL]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Also set SSL_CERT_PATH, SSL_KEY_PATH and ENABLE_SSL in this .env file [default: none]')
            [CompletionResult]::new('--ca-dir', '--ca-dir', [CompletionResultType]::ParameterName, 'Directory of the local CA [default: the user''s data directory, e.g. ~/.local/share/tlsforge]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Take the default for every question not answered by a flag; never prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Take the default for every question not answered by a flag; never prompt')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Replace existing files without asking')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing files without asking')
            [CompletionResult]::new('--no-trust', '--no-trust', [CompletionResultType]::ParameterName, 'Trust nothing now (the question is not asked)')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Write no .env file (the question is not asked)')
            [CompletionResult]::new('--share', '--share', [CompletionResultType]::ParameterName, 'Local CA: then put the CA on phones and other devices (`tlsforge share`, until Ctrl-C or 10 minutes)')
            [CompletionResult]::new('--no-share', '--no-share', [CompletionResultType]::ParameterName, 'Do not offer `tlsforge share` (the question is not asked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsforge;help' {
            [CompletionResult]::new('gen', 'gen', [CompletionResultType]::ParameterValue, 'Generate a certificate and key for domains and IP addresses')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write a certificate (default: the local CA) as DER, a full chain, PKCS#12 or Kubernetes manifests')
            [CompletionResult]::new('ca', 'ca', [CompletionResultType]::ParameterValue, 'Manage tlsforge''s local certificate authority')
            [CompletionResult]::new('share', 'share', [CompletionResultType]::ParameterValue, 'Put the local CA on a phone or another device with one scan, and check HTTPS and WSS from it')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'HTTPS and WSS in front of a plain HTTP/WebSocket service, with a certificate from the local CA')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every certificate tlsforge wrote: days left, and whether its files are still the ones written')
            [CompletionResult]::new('renew', 'renew', [CompletionResultType]::ParameterValue, 'Re-issue recorded certificates that expire soon, then reload what serves them')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show what certificates, keys and requests hold, and when certificates expire')
            [CompletionResult]::new('trust', 'trust', [CompletionResultType]::ParameterValue, 'Trust a certificate (default: the local CA) in the system, browser and Java stores')
            [CompletionResult]::new('untrust', 'untrust', [CompletionResultType]::ParameterValue, 'Remove what `trust` added for a certificate, and nothing else')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print SSL_CERT_PATH, SSL_KEY_PATH and ENABLE_SSL for your shell, a .env file or JSON')
            [CompletionResult]::new('snippet', 'snippet', [CompletionResultType]::ParameterValue, 'Print configuration that uses the certificate: an nginx server block, a compose service')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the certificate, key, trust, environment and running service for known HTTPS/WSS failures')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Walk from nothing to a trusted certificate and the lines to start an HTTPS/WSS service')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a man page (roff) for tlsforge or one of its subcommands')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsforge;help;gen' {
            break
        }
        'tlsforge;help;export' {
            break
        }
        'tlsforge;help;ca' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the local CA (name-constrained to local names unless --unconstrained)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Describe the local CA')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the local CA''s directory')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the local CA''s certificate (never its key) for other devices: PEM, DER, or an Apple configuration profile')
            break
        }
        'tlsforge;help;ca;init' {
            break
        }
        'tlsforge;help;ca;show' {
            break
        }
        'tlsforge;help;ca;path' {
            break
        }
        'tlsforge;help;ca;export' {
            break
        }
        'tlsforge;help;share' {
            break
        }
        'tlsforge;help;proxy' {
            break
        }
        'tlsforge;help;list' {
            break
        }
        'tlsforge;help;renew' {
            break
        }
        'tlsforge;help;inspect' {
            break
        }
        'tlsforge;help;trust' {
            break
        }
        'tlsforge;help;untrust' {
            break
        }
        'tlsforge;help;env' {
            break
        }
        'tlsforge;help;snippet' {
            [CompletionResult]::new('nginx', 'nginx', [CompletionResultType]::ParameterValue, 'An nginx server block terminating HTTPS and WSS in front of a local service')
            [CompletionResult]::new('compose', 'compose', [CompletionResultType]::ParameterValue, 'A docker-compose service fragment mounting the certificate files read-only')
            break
        }
        'tlsforge;help;snippet;nginx' {
            break
        }
        'tlsforge;help;snippet;compose' {
            break
        }
        'tlsforge;help;doctor' {
            break
        }
        'tlsforge;help;setup' {
            break
        }
        'tlsforge;help;completions' {
            break
        }
        'tlsforge;help;man' {
            break
        }
        'tlsforge;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
