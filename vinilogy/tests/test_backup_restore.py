"""The restore drill: a site with rows, uploaded files and a model version is backed up with
`manage.py backup` and restored with `manage.py restore` into a fresh database (SQLite: a new
file; PostgreSQL: a new database) and empty folders; every table's rows and every file's bytes
come back equal. Runs on both CI legs."""

import io
import json
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.factories import CollectionItemFactory, SeedArtistFactory, UserFactory
from alerts.factories import NotificationFactory, WatchFactory
from catalog import csv_import
from catalog.factories import ArtistFactory, ArtistSimilarityFactory, TrackFactory
from catalog.models import Artist
from pricing.factories import PriceQuoteFactory
from recommendations.colisten import rebuild_colisten_similarities
from recommendations.models import ModelVersion
from vinilogy.backup import database_connection

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads committed rows only


@pytest.fixture
def site(settings):
    """Rows in every app, an uploaded CSV (bytes that are not UTF-8 too) and a fitted model version."""
    settings.COLISTEN_MIN_LISTENERS = 1
    artists = [ArtistFactory(name=name) for name in ("Radiohead", "Portishead", "Björk")]
    for _ in range(3):
        user = UserFactory()
        for weight, artist in enumerate(artists, start=1):
            SeedArtistFactory(user=user, artist=artist, source="lastfm", weight=float(weight))
    ArtistSimilarityFactory(from_artist=artists[0], to_artist=artists[1], score=0.9, source="lastfm")
    quote = PriceQuoteFactory()
    TrackFactory(album=quote.album)
    CollectionItemFactory(user=user, release=quote.release)
    WatchFactory(user=user, album=quote.album)
    NotificationFactory(user=user, album=quote.album, message="Ein Angebot für Björk – 20 €")
    csv_import.create_job(SimpleUploadedFile("artists.csv", "name\nSigur Rós\n".encode()), user=None)
    (settings.MEDIA_ROOT / "covers" / "deep").mkdir(parents=True)
    (settings.MEDIA_ROOT / "covers" / "deep" / "sleeve.bin").write_bytes(bytes(range(256)) * 40)
    rebuild_colisten_similarities()
    assert ModelVersion.objects.exists()
    return settings


@pytest.fixture
def fresh_database(tmp_path):
    """(DATABASE_URL, DATABASES-style dict) of a database that does not exist yet / is empty."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "restored" / "db.sqlite3"
        yield f"sqlite:///{path}", {"ENGINE": db["ENGINE"], "NAME": str(path)}
        return
    name = f"vinilogy_restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
    yield url, {**{key: db[key] for key in ("ENGINE", "USER", "PASSWORD", "HOST", "PORT")}, "NAME": name}
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rows(wrapper):
    """table → its rows, sorted, for every table of a database."""
    with wrapper.cursor() as cursor:
        tables = {}
        for table in wrapper.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            tables[table] = sorted(cursor.fetchall(), key=repr)
    return tables


def _files(root):
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in Path(root).rglob("*") if path.is_file()}


def _backup(tmp_path):
    archive = tmp_path / "backups" / "site.tar.gz"
    out = io.StringIO()
    call_command("backup", output=str(archive), stdout=out)
    assert out.getvalue().startswith(f"backup written to {archive}: {connection.vendor}")
    return archive


def _restore(archive, url, tmp_path):
    out = io.StringIO()
    media, models = tmp_path / "restored-media", tmp_path / "restored-models"
    call_command("restore", str(archive), database_url=url, media_root=str(media), model_dir=str(models), stdout=out)
    assert out.getvalue().startswith("restored the backup of ")
    return media, models


def test_a_restore_brings_back_every_row_every_upload_and_every_model_file(site, fresh_database, tmp_path):
    url, target = fresh_database
    archive = _backup(tmp_path)
    media, models = _restore(archive, url, tmp_path)

    restored = database_connection(target)
    try:
        assert _rows(restored) == _rows(connection)
    finally:
        restored.close()
    assert _files(media) == _files(site.MEDIA_ROOT)
    assert _files(models) == _files(site.MODEL_DIR)
    assert len(_files(media)) == 2 and any(name.endswith(".npz") for name in _files(models))


def test_the_manifest_says_what_when_how_many_and_the_checksums(site, tmp_path):
    archive = _backup(tmp_path)
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    assert manifest["format"] == 1 and manifest["created_at"]
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["tables"]["catalog_artist"] == Artist.objects.count() > 0
    assert manifest["database"]["tables"]["recommendations_modelversion"] == ModelVersion.objects.count()
    assert manifest["media"]["count"] == 2 and manifest["models"]["count"] == len(_files(site.MODEL_DIR))
    entry = manifest["media"]["files"]["covers/deep/sleeve.bin"]
    assert entry["bytes"] == 256 * 40 and len(entry["sha256"]) == 64
    assert {manifest["database"]["member"], "media/covers/deep/sleeve.bin"} <= names


def test_a_restore_refuses_folders_that_are_not_empty_and_writes_nothing(site, fresh_database, tmp_path):
    url, target = fresh_database
    archive = _backup(tmp_path)
    (tmp_path / "restored-models").mkdir()
    (tmp_path / "restored-models" / "keep.txt").write_text("an operator's file")
    with pytest.raises(CommandError, match="restored-models is not empty"):
        _restore(archive, url, tmp_path)
    assert not (tmp_path / "restored-media").exists()


def test_a_restore_refuses_a_database_that_is_not_new(site, fresh_database, tmp_path):
    url, _ = fresh_database
    archive = _backup(tmp_path)
    _restore(archive, url, tmp_path)
    with pytest.raises(CommandError, match="exists: restore into a new database file|has tables"):
        _restore(archive, url, tmp_path / "again")


def test_a_damaged_archive_is_refused_before_anything_is_written(site, fresh_database, tmp_path):
    url, _ = fresh_database
    archive = _backup(tmp_path)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "media/covers/deep/sleeve.bin":
                data = data[:-1] + b"!"
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="sleeve.bin does not match its checksum"):
        _restore(damaged, url, tmp_path)
    assert not (tmp_path / "restored-media").exists()


def test_a_file_that_is_not_a_backup_is_refused(fresh_database, tmp_path):
    url, _ = fresh_database
    stray = tmp_path / "stray.tar.gz"
    with tarfile.open(stray, "w:gz") as tar:
        tar.addfile(tarfile.TarInfo("hello.txt"), io.BytesIO(b""))
    with pytest.raises(CommandError, match="not a Vinilogy backup"):
        _restore(stray, url, tmp_path)
