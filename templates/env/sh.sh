# From `tlsforge env`. Load into a POSIX shell with: eval "$(tlsforge env --shell sh)"
export {{name}}={{value}}
