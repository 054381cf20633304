# From `tlsforge env`. Load into PowerShell with: tlsforge env --shell powershell | Invoke-Expression
$env:{{name}} = {{value}}
