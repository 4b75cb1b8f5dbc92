"""``python -m tests.oidc_provider [--config FILE.json] [--port N]``: the local OpenID Connect
provider of the tests (see ``server``). Prints ``READY <base url>`` once it listens, then serves
until SIGTERM or SIGINT."""

import argparse
import json
import signal
import sys
import threading

from tests.oidc_provider.config import DEFAULT
from tests.oidc_provider.server import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.oidc_provider")
    parser.add_argument("--config", help="JSON file with tenants, clients and users (default: config.DEFAULT)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    args = parser.parse_args(argv)
    config = DEFAULT
    if args.config:
        with open(args.config, encoding="utf-8") as file:
            config = json.load(file)
    server = serve(config, host=args.host, port=args.port)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"READY {server.provider.base_url}", flush=True)
    stop.wait()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
