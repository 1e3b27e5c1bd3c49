"""SHA-1 and SHA-256 without `hashlib`, whose OpenSSL binding costs a build more than its hashing does.

CPython's own implementations give the same digests; `hashlib` remains the
fallback where they are missing.
"""

from __future__ import annotations

import uuid

try:
    from _sha1 import sha1  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - other Python implementations
    from hashlib import sha1
try:
    from _sha2 import sha256  # type: ignore[import-not-found]  # CPython 3.12+
except ImportError:
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # CPython 3.11
    except ImportError:  # pragma: no cover - other Python implementations
        from hashlib import sha256

__all__ = ["sha1", "sha256", "uuid5"]


def uuid5(namespace: uuid.UUID, name: str) -> uuid.UUID:
    """`uuid.uuid5`, which imports `hashlib` (RFC 4122, 4.3: a name-based UUID with SHA-1)."""
    return uuid.UUID(bytes=sha1(namespace.bytes + name.encode("utf-8")).digest()[:16], version=5)
