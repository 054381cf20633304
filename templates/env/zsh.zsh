# From `tlsforge env`. Load into zsh with: eval "$(tlsforge env --shell zsh)"
export {{name}}={{value}}
