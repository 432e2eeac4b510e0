"""Tests run from the repository root's scenarios, and the dealsim binary cargo built."""

import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)


@pytest.fixture(scope="session")
def cli():
    """The `dealsim` command, built by cargo (CI builds it before these tests)."""
    binary = REPO / "target" / "release" / "dealsim"
    if not binary.exists():
        subprocess.run(["cargo", "build", "--release", "--bin", "dealsim"], cwd=REPO, check=True)

    def call(*args, cwd=REPO):
        return subprocess.run([str(binary), *map(str, args)], cwd=cwd, check=True, capture_output=True, text=True)

    return call
