"""A bare Django app served next to the portal in the same benchmark run: the yardstick the portal's pages
are compared with (see bench/bench_web.py)."""
