"""Serves the Recruit emulator in the foreground until interrupted:

python -m local.emulators.recruit --port 7082 --seed local/seed/recruit.json [--dc ca=7083 ...]

Each `--dc LOCATION=PORT` plays that data centre strictly on its own port (datacentres.py).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from local.emulators.kit.serve import Listener, serve_forever

from .app import create_app
from .seed import SEED_FILE, load_seed


def main() -> None:
    parser = argparse.ArgumentParser(description="Zoho Recruit emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7082)
    parser.add_argument("--seed", type=Path, default=SEED_FILE)
    parser.add_argument("--dc", action="append", default=[], metavar="LOCATION=PORT")
    args = parser.parse_args()
    ports = {location: int(port) for location, _, port in (item.partition("=") for item in args.dc)}
    bases = {location: f"http://{args.host}:{port}" for location, port in ports.items()}
    listeners = [Listener(args.port, args.host), *(Listener(port, args.host) for port in ports.values())]
    serve_forever(create_app(load_seed(args.seed), bases), listeners)


if __name__ == "__main__":
    main()
