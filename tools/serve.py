"""``make run``'s server: the development server, quiet, ending with the URL and demo logins.

LMS_BASE_URL (mail links, the course 2 check-in QR, xAPI ids) follows the host and port
served here unless it is set.
"""

from __future__ import annotations

import argparse
import os

from werkzeug.serving import make_server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    prefix = os.environ.get("LMS_URL_PREFIX", "").rstrip("/")
    url = os.environ.setdefault("LMS_BASE_URL", f"http://{args.host}:{args.port}{prefix}")

    from lms import create_app
    from lms.demo import DEMO_PASSWORD

    server = make_server(args.host, args.port, create_app(), threaded=True)
    print(f"\ncoordinator-lms is running at {url}/  (Ctrl+C stops it)\n"
          f"Demo logins, password {DEMO_PASSWORD}:\n"
          "  admin@demo.example        administrator (事務局)\n"
          "  instructor@demo.example   instructor (講師)\n"
          "  committee@demo.example, committee2@demo.example   committee members (認定審査委員)\n"
          "  trainee1@demo.example … trainee8@demo.example   trainees (trainee7 certified)\n"
          "  applicant1@demo.example … applicant5@demo.example   applicants\n"
          "  holder-valid@demo.example (also -renewal, -revoked, -lapsed)   certificate holders\n"
          "  (all of them: README.md, 'Demo logins')\n", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
