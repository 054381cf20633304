# From `tlsforge env`. Load into fish with: tlsforge env --shell fish | source
set -gx {{name}} {{value}}
