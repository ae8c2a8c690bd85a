"""Attachments (Data §2.4.11): usage type, display, content type, length and SHA-2 (pure)."""

from __future__ import annotations

from typing import Any

from lms.lrs.rules.primitives import MEDIA_TYPE, SHA2, Invalid, Primitives, only_keys


class AttachmentRules(Primitives):
    """The attachments array (the parts themselves are checked on receipt, not here)."""

    def attachments(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise Invalid(path, "must be an array")
        for i, item in enumerate(value):
            where = f"{path}[{i}]"
            attachment = self.obj(item, where)
            only_keys(attachment, {"usageType", "display", "description", "contentType", "length",
                               "sha2", "fileUrl"}, where)
            for key in ("usageType", "display", "contentType", "length", "sha2"):
                if key not in attachment:
                    raise Invalid(f"{where}.{key}", "is required")
            self.iri(attachment["usageType"], f"{where}.usageType", limit=2048)
            self.language_map(attachment["display"], f"{where}.display")
            if "description" in attachment:
                self.language_map(attachment["description"], f"{where}.description")
            if not MEDIA_TYPE.match(self.string(attachment["contentType"],
                                                f"{where}.contentType")):
                raise Invalid(f"{where}.contentType", "must be an Internet media type")
            length = attachment["length"]
            if isinstance(length, bool) or not isinstance(length, int) or length < 0:
                raise Invalid(f"{where}.length", "must be a non-negative integer")
            if not SHA2.match(self.string(attachment["sha2"], f"{where}.sha2")):
                raise Invalid(f"{where}.sha2", "must be a hex SHA-2 hash")
            if "fileUrl" in attachment:
                self.iri(attachment["fileUrl"], f"{where}.fileUrl", limit=2048)
