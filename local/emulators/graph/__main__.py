"""Runs the Graph emulator: `python -m local.emulators.graph --port 7081 --tls-port 7444`.

The same app answers on plain http (Graph API) and https (for MSAL and azure-identity).
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from ..kit.serve import Listener, serve_forever
from ..kit.tls import ensure_tls_files
from .app import DEFAULT_SEED, create_app, load_seed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=7081)
    parser.add_argument("--tls-port", type=int, default=7444)
    parser.add_argument("--tls-dir", type=Path, default=Path(".local/tls"))
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED)
    parser.add_argument("--max-subscription-minutes", type=int, default=4230)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    tls = ensure_tls_files(args.tls_dir)
    app = create_app(
        load_seed(args.seed),
        max_subscription_minutes=args.max_subscription_minutes,
        http_base_url=f"http://127.0.0.1:{args.port}",
    )
    listeners = [Listener(args.port), Listener(args.tls_port, cert_file=tls.cert_file, key_file=tls.key_file)]
    print(f"Graph emulator on http://127.0.0.1:{args.port} and https://127.0.0.1:{args.tls_port}", flush=True)
    serve_forever(app, listeners)


if __name__ == "__main__":
    main()
