"""The issuer's signing keys: files outside the database, rotated without losing old ones.

``<CREDENTIAL_KEY_DIR>/<kid>.jwk.json`` holds each private key (mode 600); ``current`` names the
key that signs. Retired keys stay so that credentials they signed still verify; only their
public halves are published (JWK set and DID document).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from joserfc.jwk import KeySet, RSAKey

ALGORITHM = "RS256"


class KeyStoreError(RuntimeError):
    """No usable signing key (run ``flask lms credential keygen``)."""


@lru_cache(maxsize=16)
def _import(path: str, mtime_ns: int, size: int) -> RSAKey:
    # Importing a private RSA key checks it (~50-80 ms); a key file never changes once
    # written, so each is read once per process (the stat in the key notices a replaced file).
    return RSAKey.import_key(json.loads(Path(path).read_text()))


def _read_key(path: Path) -> RSAKey:
    stat = path.stat()
    return _import(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


class KeyStore:
    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    def _current_file(self) -> Path:
        return self.directory / "current"

    def create(self) -> RSAKey:
        """Generate a new RSA-2048 key and make it the signing key; earlier keys are kept."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = RSAKey.generate_key(2048, auto_kid=True)
        path = self.directory / f"{key.kid}.jwk.json"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(key.as_dict(private=True), fh)
        tmp = self._current_file().with_suffix(".tmp")
        tmp.write_text(key.kid or "")
        tmp.replace(self._current_file())
        return key

    def ensure(self) -> RSAKey:
        """Return the signing key, creating the first one if there is none."""
        if not self._current_file().exists():
            return self.create()
        return self.signing_key()

    def signing_key(self) -> RSAKey:
        try:
            kid = self._current_file().read_text().strip()
        except FileNotFoundError as exc:
            raise KeyStoreError(f"no signing key in {self.directory}") from exc
        return self._load(kid)

    def _load(self, kid: str) -> RSAKey:
        path = self.directory / f"{kid}.jwk.json"
        try:
            return _read_key(path)
        except FileNotFoundError as exc:
            raise KeyStoreError(f"signing key {kid} missing in {self.directory}") from exc

    def all_keys(self) -> list[RSAKey]:
        """Every key, current and retired (newest file first)."""
        if not self.directory.exists():
            return []
        files = sorted(self.directory.glob("*.jwk.json"), key=lambda p: p.stat().st_mtime,
                       reverse=True)
        return [_read_key(p) for p in files]

    def public_set(self) -> KeySet:
        """The public JWK set (no private parts)."""
        return KeySet([RSAKey.import_key(k.as_dict(private=False)) for k in self.all_keys()])

    def public_jwks(self) -> dict:
        keys = []
        for key in self.all_keys():
            public = key.as_dict(private=False)
            keys.append(public | {"use": "sig", "alg": ALGORITHM})
        return {"keys": keys}
