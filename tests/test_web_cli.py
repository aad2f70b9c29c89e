"""`seedsearch serve`: the indexer's commands plus serve; a fresh folder goes to a running site."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner
from helpers import SEEDS_DIR

from indexer import ensure_index, search
from indexer.store import current_generation, read_manifest, write_manifest
from webapp.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_serve_is_added_to_the_indexer_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("index", "update", "search", "stats", "rollback", "serve"):
        assert command in result.output
    help_text = CliRunner().invoke(main, ["serve", "--help"]).output
    for option in ("--index", "--source", "--host", "--port", "--workers"):
        assert option in help_text


def test_serve_fails_cleanly_without_index_or_source(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--index", str(tmp_path / "i"), "--source", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_builds_the_index_and_runs_gunicorn(tmp_path):
    shutil.copytree(SEEDS_DIR, tmp_path / "seeds")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "webapp.cli", "serve", "--port", str(port), "--workers", "1"]
    server = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        body = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=internet", timeout=2) as response:
                    body = response.read().decode()
                    headers = response.headers
            except OSError:
                time.sleep(0.2)
        assert body is not None, "the server did not answer"
        assert '"total":2' in body.replace(" ", "")
        assert headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert (tmp_path / "index" / "CURRENT").exists()
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode()
    assert "Indexed 2 documents from 2 files in " in output  # the build's report, before serving
    assert "Booting worker" in output


def test_an_index_of_another_version_is_rebuilt_from_the_source(tmp_path):
    index_dir = tmp_path / "index"
    assert ensure_index(index_dir, SEEDS_DIR)  # missing: built
    assert not ensure_index(index_dir, SEEDS_DIR)  # current: kept
    old = current_generation(index_dir)
    manifest = read_manifest(old)
    write_manifest(old, {**manifest, "schema_version": manifest["schema_version"] - 1})
    assert ensure_index(index_dir, SEEDS_DIR)  # another version: rebuilt
    assert current_generation(index_dir) != old
    assert search(index_dir, "internet").total == 2


def test_the_site_command_adds_serve_without_changing_the_librarys_command():
    from indexer import cli as indexer_cli
    from webapp import cli as webapp_cli

    assert "serve" not in indexer_cli.main.commands  # `python -m indexer` has no web server
    assert set(webapp_cli.main.commands) == {*indexer_cli.main.commands, "serve"}
