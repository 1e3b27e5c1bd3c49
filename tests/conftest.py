"""Shared fixtures: a built output folder, which no test may change."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import SEED, contents, run


@pytest.fixture(scope="session")
def seed_output(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The files built from the seed with the default settings; read them, copy them, never change them."""
    output = tmp_path_factory.mktemp("output")
    result = run("build", "--source", SEED, "--output", output, "--quiet")
    assert result.exit_code == 0, result.stderr
    built = contents(output)
    names = sorted(os.listdir(output))  # folders and links too, which `contents` does not hold
    yield output
    assert contents(output) == built, "a test changed the shared seed_output folder"
    assert sorted(os.listdir(output)) == names, "a test added to the shared seed_output folder"
