"""Payment building blocks with no knowledge of dossiers: VietQR bank-transfer codes (vietqr.py) and
the online gateways with their registry (gateways.py). docs/payments.md describes them."""
