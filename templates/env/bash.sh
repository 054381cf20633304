# From `tlsforge env`. Load into bash with: eval "$(tlsforge env --shell bash)"
export {{name}}={{value}}
