"""Shared fixtures: a built output folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import SEED, run


@pytest.fixture(scope="session")
def seed_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The six feeds built from the seed with the default settings."""
    output = tmp_path_factory.mktemp("output")
    result = run("build", "--source", SEED, "--output", output, "--quiet")
    assert result.exit_code == 0, result.stderr
    return output
