"""Two web pools, one site: what happens on one pool is seen on the other (bin/twopools)."""
