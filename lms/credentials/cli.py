"""``flask lms credential …``: the issuer's keys and verification from the command line."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

credential_cli = AppGroup("credential", help="Open Badges 3.0 credentials: keys, verification.")


@credential_cli.command("keygen")
@click.option("--rotate", is_flag=True, help="Make a new signing key even if one exists "
              "(older keys are kept so that what they signed still verifies).")
def keygen(rotate: bool) -> None:
    """Create the issuer's signing key (once; make run calls this)."""
    from lms.credentials.services import keystore

    store = keystore()
    key = store.create() if rotate else store.ensure()
    click.echo(f"signing key {key.kid} in {store.directory}")


@credential_cli.command("verify")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--email", help="The holder's e-mail address, to check the credential is theirs.")
def verify(path: str, email: str | None) -> None:
    """Verify a credential (VC-JWT, its JSON, or a baked PNG); exit 1 unless it is valid."""
    from lms.credentials.rules import Status
    from lms.credentials.services import verify as verify_credential

    data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    result = verify_credential(data, email=email)
    click.echo(json.dumps({
        "status": str(result.status),
        "signature_valid": result.signature_ok,
        "issuer": result.issuer_id or None,
        "issuer_name": result.issuer_name or None,
        "achievement": result.achievement or None,
        "valid_from": result.valid_from.isoformat() if result.valid_from else None,
        "valid_until": result.valid_until.isoformat() if result.valid_until else None,
        "holder_match": result.holder_match,
        "problems": result.problems,
    }, ensure_ascii=False, indent=2))
    sys.exit(0 if result.status == Status.VALID and result.holder_match is not False else 1)
