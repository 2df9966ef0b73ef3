"""Serves the Recruit emulator in the foreground until interrupted:

python -m local.emulators.recruit --port 7082 --seed local/seed/recruit.json
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
    args = parser.parse_args()
    serve_forever(create_app(load_seed(args.seed)), [Listener(args.port, args.host)])


if __name__ == "__main__":
    main()
