"""What the database benches share: each measurement runs in a process of its own on a database of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import psycopg


def measure(script: str, database_url: str, size: str) -> dict:
    """Runs `script --worker SIZE` against the database and returns the JSON its last line prints."""
    env = {**os.environ, "DATABASE_URL": database_url, "JUNHENG_SECRET_KEY": "bench"}
    done = subprocess.run([sys.executable, script, "--worker", size], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh_postgres(url: str, name: str) -> str:
    """An empty PostgreSQL database of that name beside the one `url` names, and its URL."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name
