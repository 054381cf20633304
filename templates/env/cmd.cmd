@REM From `tlsforge env`: save this output as ssl-env.cmd and run "call ssl-env.cmd".
@set "{{name}}={{value}}"
