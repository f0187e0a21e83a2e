"""Restore drills: the real `junheng backup` and `junheng restore` in subprocesses, against a platform home of their
own (a SQLite file, or a scratch PostgreSQL database) holding records, uploaded and stored files and their audit
history, all written by the platform's own services. The suite's test database lives in memory and inside a
transaction, where no second process could see it: hence homes of their own rather than the suite's fixtures.

After a restore every table (the history tables and django_migrations among them) must hold exactly the rows it
held at the backup, and every file the same bytes; a refused restore must leave both as they were."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest

import junheng
from junheng.core.backup import DUMPS, MANIFEST

from .conftest import ROSTER_NOTICE

JUNHENG = Path(sys.executable).parent / "junheng"
SOURCE = str(Path(junheng.__file__).resolve().parents[1])  # the subprocesses run the code under test
# The server of `make test-postgres` when it runs on one, else the local one of the Makefile's default.
POSTGRES = (
    os.environ["DATABASE_URL"]
    if os.environ.get("DATABASE_URL", "").startswith("postgres")
    else "postgres://postgres@127.0.0.1:5432/postgres"
)

# Records, files and history as the platform writes them: a municipal administrator, two interactions with evidence
# (one edited after), a school's code set, an API token, and a year of monitoring results stored as Parquet.
SEED = f"""
import datetime
from pathlib import Path
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from junheng.core.models import ApiToken
from junheng.core.services import object_save
from junheng.organisations.choices import Role
from junheng.organisations.models import Membership
from junheng.programmes.models import Interaction, Pairing

call_command("migrate", verbosity=0)
call_command("import_roster", {ROSTER_NOTICE!r}, verbosity=0)
admin = get_user_model().objects.create_user("drill-admin", password="drill-password-1")
object_save(actor=None, instance=Membership(user=admin, role=Role.MUNICIPAL, can_edit=True), check_scope=False)
ApiToken.objects.issue(admin, "drill")
pairings = list(Pairing.objects.order_by("pk")[:2])
for number, pairing in enumerate(pairings):
    visit = Interaction(pairing=pairing, date=datetime.date(2022, 3, 1 + number), kind="on_site", participants=4)
    visit.evidence.save(f"听课记录{{number}}.pdf", ContentFile(b"%PDF-1.4 minutes " + str(number).encode()), save=False)
    object_save(actor=admin, instance=visit)
visit.summary = "听课评课与教研"
object_save(actor=admin, instance=visit, reason="补充纪要")
school = pairings[0].supported_school
school.code = "DRILL01"
object_save(actor=admin, instance=school)
scores = Path(settings.MEDIA_ROOT).parent / "2024.csv"
scores.write_text("year,student_id,school_code,grade,subject,score,level\\n2024,s1,DRILL01,4,数学,81.5,\\n")
call_command("import_scores", str(scores), "--year", "2024", verbosity=0)
scores.unlink()
"""

# What happens after the backup: a record changed, one deleted with its file, a stored file lost, a stray file
# and a new account added.
CHANGE = """
from pathlib import Path
from django.conf import settings
from django.contrib.auth import get_user_model
from junheng.core.services import object_delete, object_save
from junheng.evaluation.models import ScoreUpload
from junheng.programmes.models import Interaction

admin = get_user_model().objects.get(username="drill-admin")
first, second = Interaction.objects.order_by("pk")
first.summary = "改过的纪要"
object_save(actor=admin, instance=first)
second.evidence.storage.delete(second.evidence.name)
object_delete(actor=admin, instance=second, reason="演练删除")
upload = ScoreUpload.objects.get()
(Path(settings.MEDIA_ROOT) / upload.parquet).unlink()
object_delete(actor=admin, instance=upload)
(Path(settings.MEDIA_ROOT) / "evidence" / "stray.pdf").write_bytes(b"%PDF-1.4 stray")
get_user_model().objects.create_user("after-the-backup", password="drill-password-2")
"""


def platform_env(home: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "JUNHENG_HOME": str(home),
        "JUNHENG_SECRET_KEY": "backup-drill",
        "PYTHONPATH": SOURCE,
    }


def sqlite_url(home: Path) -> str:
    return f"sqlite:///{home / 'var' / 'junheng.sqlite3'}"


def junheng_run(
    home: Path, database_url: str, *arguments: str, answer: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(JUNHENG), *arguments],
        env=platform_env(home, database_url),
        input=answer,
        capture_output=True,
        text=True,
        timeout=300,
    )


def junheng_ok(home: Path, database_url: str, *arguments: str) -> str:
    done = junheng_run(home, database_url, *arguments)
    assert done.returncode == 0, done.stderr
    return done.stdout


def files_of(home: Path) -> dict[str, str]:
    media = home / "var" / "media"
    return {
        file.relative_to(media).as_posix(): hashlib.sha256(file.read_bytes()).hexdigest()
        for file in sorted(media.rglob("*"))
        if file.is_file()
    }


def sqlite_tables(home: Path) -> dict[str, list[str]]:
    with closing(sqlite3.connect(home / "var" / "junheng.sqlite3")) as database:
        names = [row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: sorted(map(repr, database.execute(f'SELECT * FROM "{name}"'))) for name in names}


def postgres_tables(url: str) -> dict[str, list[str]]:
    with psycopg.connect(url) as database:
        names = [
            row[0]
            for row in database.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        ]
        tables = {name: sorted(map(repr, database.execute(f'SELECT * FROM "{name}"'))) for name in names}
        for (sequence,) in database.execute(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
        ):
            tables[sequence] = [repr(database.execute(f'SELECT last_value FROM "{sequence}"').fetchone())]
        return tables


def state(home: Path, database_url: str) -> dict[str, Any]:
    tables = postgres_tables(database_url) if database_url.startswith("postgres") else sqlite_tables(home)
    return {"tables": tables, "files": files_of(home)}


def assert_seeded(before: dict[str, Any]) -> None:
    """The drill means something: there are records, files of both kinds and history of every kind."""
    history = before["tables"]["programmes_historicalinteraction"]
    assert any("'+'" in row for row in history) and any("'~'" in row for row in history)
    assert len(before["tables"]["programmes_pairing"]) == 66
    assert any(name.startswith("evidence/") for name in before["files"])
    assert any(name.startswith("scores/2024/") and name.endswith(".parquet") for name in before["files"])


def drill(home: Path, database_url: str, archive: Path) -> None:
    before = state(home, database_url)
    assert_seeded(before)
    written = junheng_ok(home, database_url, "backup", str(archive))
    assert f"{len(before['files'])} " in written and str(archive) in written
    junheng_ok(home, database_url, "shell", "-v", "0", "-c", CHANGE)
    changed = state(home, database_url)
    assert changed["tables"] != before["tables"] and changed["files"] != before["files"]
    assert "evidence/stray.pdf" in changed["files"]

    restored = junheng_ok(home, database_url, "restore", str(archive), "--yes")

    assert "已恢复" in restored
    after = state(home, database_url)
    assert after["files"] == before["files"]
    assert after["tables"] == before["tables"]


# --- SQLite -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: Any) -> Path:
    """A platform home with its SQLite file, prepared once; tests work on copies."""
    home = tmp_path_factory.mktemp("seeded")
    (home / "var").mkdir()
    junheng_ok(home, sqlite_url(home), "shell", "-v", "0", "-c", SEED)
    return home


@pytest.fixture(scope="module")
def good_archive(seeded: Path, tmp_path_factory: Any) -> Path:
    archive = tmp_path_factory.mktemp("archive") / "junheng.tar"
    junheng_ok(seeded, sqlite_url(seeded), "backup", str(archive))
    return archive


@pytest.fixture(scope="module")
def changed(seeded: Path, tmp_path_factory: Any) -> Path:
    """The seeded home after the changes: what a restore would replace."""
    home = tmp_path_factory.mktemp("changed")
    shutil.copytree(seeded, home, dirs_exist_ok=True)
    junheng_ok(home, sqlite_url(home), "shell", "-v", "0", "-c", CHANGE)
    return home


@pytest.fixture
def live(changed: Path, tmp_path: Path) -> Path:
    home = tmp_path / "live"
    shutil.copytree(changed, home)
    return home


def test_sqlite_drill_brings_back_every_record_file_and_history_entry(seeded: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(seeded, home)
    drill(home, sqlite_url(home), tmp_path / "backup.tar")


def test_the_archive_holds_the_database_the_files_and_a_manifest(good_archive: Path, seeded: Path) -> None:
    with tarfile.open(good_archive) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile(MANIFEST))  # type: ignore[arg-type]
    assert names[-1] == MANIFEST and DUMPS["sqlite"] in names
    assert manifest["format"] == 1 and manifest["vendor"] == "sqlite" and manifest["created"]
    assert "programmes.0008_constraint_messages" in manifest["migrations"]
    files = files_of(seeded)
    assert {
        name.removeprefix("media/"): member["sha256"] for name, member in manifest["members"].items()
    } == {
        **files,
        DUMPS["sqlite"]: manifest["members"][DUMPS["sqlite"]]["sha256"],
    }


def rewritten(source: Path, target: Path, **manifest_changes: Any) -> Path:
    """A copy of the archive whose manifest says something else."""
    with tarfile.open(source) as original, tarfile.open(target, "w") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == MANIFEST:
                data = json.dumps({**json.loads(data), **manifest_changes}).encode()
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


def refused(home: Path, archive: Path, *arguments: str) -> str:
    """Runs a restore that must be refused and must change nothing; returns its message."""
    before = state(home, sqlite_url(home))
    done = junheng_run(home, sqlite_url(home), "restore", str(archive), "--yes", *arguments)
    assert done.returncode != 0
    assert state(home, sqlite_url(home)) == before
    assert not [
        leftover.name for leftover in (home / "var").iterdir() if leftover.name.startswith(".junheng")
    ]
    return done.stderr


def test_a_truncated_archive_is_refused(live: Path, good_archive: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(good_archive.read_bytes()[: good_archive.stat().st_size // 2])
    assert "备份不完整或已损坏" in refused(live, truncated)


def test_a_member_that_does_not_match_its_checksum_is_refused(
    live: Path, good_archive: Path, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.tar"
    data = bytearray(good_archive.read_bytes())
    with tarfile.open(good_archive) as archive:
        dump = archive.getmember(DUMPS["sqlite"])
    data[dump.offset_data + dump.size // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    assert f"{DUMPS['sqlite']} 与其校验和不符" in refused(live, damaged)


def test_a_backup_of_another_database_vendor_is_refused(
    live: Path, good_archive: Path, tmp_path: Path
) -> None:
    other = rewritten(good_archive, tmp_path / "postgres.tar", vendor="postgresql")
    assert "这是 PostgreSQL 数据库的备份，而本平台运行在 SQLite 上" in refused(live, other)


def test_a_backup_from_a_newer_migration_state_is_refused(
    live: Path, good_archive: Path, tmp_path: Path
) -> None:
    with tarfile.open(good_archive) as archive:
        migrations = json.load(archive.extractfile(MANIFEST))["migrations"]  # type: ignore[arg-type]
    newer = rewritten(
        good_archive, tmp_path / "newer.tar", migrations=[*migrations, "programmes.0099_future"]
    )
    message = refused(live, newer)
    assert "更新版本" in message and "programmes.0099_future" in message


def test_a_restore_that_cannot_take_the_database_puts_everything_back(live: Path, good_archive: Path) -> None:
    with closing(sqlite3.connect(live / "var" / "junheng.sqlite3", isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
        message = refused(live, good_archive, "--wait", "0.5")
        writer.execute("ROLLBACK")
    assert "数据库未能替换" in message and "平台保持原样" in message


def test_restore_asks_first_and_a_no_changes_nothing(live: Path, good_archive: Path) -> None:
    before = state(live, sqlite_url(live))
    done = junheng_run(live, sqlite_url(live), "restore", str(good_archive), answer="no\n")
    assert "当前的内容将会丢失" in done.stdout
    assert done.returncode != 0 and "已取消恢复" in done.stderr
    assert state(live, sqlite_url(live)) == before


# --- PostgreSQL ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def postgres_home(tmp_path_factory: Any) -> Iterator[tuple[Path, str]]:
    """A scratch PostgreSQL database of this module's own, seeded like the SQLite home, dropped afterwards."""
    try:
        psycopg.connect(POSTGRES, connect_timeout=3).close()
    except psycopg.OperationalError as unreachable:
        if os.environ.get("JUNHENG_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"no PostgreSQL server answers at {POSTGRES}: {unreachable}")
        pytest.skip(f"PostgreSQL drill left out: no server answers at {POSTGRES}")
    name = f"junheng_backup_drill_{os.getpid()}"
    with psycopg.connect(POSTGRES, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    url = POSTGRES.rsplit("/", 1)[0] + "/" + name
    home = tmp_path_factory.mktemp("postgres")
    (home / "var").mkdir()
    try:
        junheng_ok(home, url, "shell", "-v", "0", "-c", SEED)
        yield home, url
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgres_drill_brings_back_every_record_file_and_history_entry(
    postgres_home: tuple[Path, str], tmp_path: Path
) -> None:
    home, url = postgres_home
    drill(home, url, tmp_path / "backup.tar")


def test_a_postgres_restore_that_cannot_take_the_database_changes_nothing(
    postgres_home: tuple[Path, str], tmp_path: Path, good_archive: Path
) -> None:
    home, url = postgres_home
    archive = tmp_path / "backup.tar"
    junheng_ok(home, url, "backup", str(archive))
    (home / "var" / "media" / "evidence" / "later.pdf").write_bytes(b"%PDF-1.4 later")
    before = state(home, url)
    with psycopg.connect(url) as reader:
        # A reader in the middle of a transaction holds its lock on the table until the transaction ends.
        reader.execute("SELECT count(*) FROM programmes_interaction")
        locked = junheng_run(home, url, "restore", str(archive), "--yes", "--wait", "0.5")
    assert locked.returncode != 0 and "数据库未能替换" in locked.stderr
    assert state(home, url) == before
    sqlite_backup = junheng_run(home, url, "restore", str(good_archive), "--yes")
    assert "这是 SQLite 数据库的备份，而本平台运行在 PostgreSQL 上" in sqlite_backup.stderr
    assert state(home, url) == before
