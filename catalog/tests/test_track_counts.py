"""Track counts, the standard tracklist and first-release years from an album's Discogs master
(recorded answers), so the minimum-tracks filter has counts to filter on (that filter's own
test: recommendations/tests/test_track_count_filter.py)."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command

from catalog import services, tasks
from catalog.factories import AlbumFactory, ArtistFactory, ReleaseFactory, TrackFactory
from catalog.models import Album, YearSource
from catalog.upsert import upsert_album
from integrations.models import ApiCall
from integrations.replay import record_fixture
from vinilogy.demo import replaying

pytestmark = pytest.mark.django_db

OK_COMPUTER = 21491  # master; main release 2317517, first released 1997, 12 tracks
O_FORTUNA = 33687  # Apotheosis, "O Fortuna": a two-track 12"
RECORDED = Path(settings.BASE_DIR) / "integrations" / "fixtures" / "discogs"
MASTERS = {OK_COMPUTER: "master_21491_radiohead_ok-computer.json", O_FORTUNA: "master_33687_apotheosis_o-fortuna.json"}
OK_COMPUTER_TITLES = ["Airbag", "Paranoid Android", "Subterranean Homesick Alien", "Exit Music (For A Film)"]


@pytest.fixture
def recorded(tmp_path):
    """The recorded master answers (integrations/fixtures/SOURCES.md), served by the replay adapter."""
    for master_id, name in MASTERS.items():
        record_fixture(
            tmp_path,
            "GET",
            f"https://api.discogs.com/masters/{master_id}",
            200,
            (RECORDED / name).read_bytes(),
            {"Content-Type": "application/json"},
        )
    return tmp_path


@pytest.fixture
def ok_computer():
    return AlbumFactory(
        artist=ArtistFactory(name="Radiohead"),
        title="OK Computer",
        discogs_master_id=OK_COMPUTER,
        track_count=None,
        first_release_year=None,
    )


def test_the_track_count_comes_from_the_masters_main_release(recorded, ok_computer):
    with replaying(recorded):
        services.sync_album_tracklist(ok_computer)

    album = Album.objects.get(pk=ok_computer.pk)
    assert album.track_count == 12 and album.tracks.count() == 12
    assert list(album.tracks.values_list("title", flat=True)[:4]) == OK_COMPUTER_TITLES
    assert album.tracklist_checked_at is not None


def test_a_deluxe_pressings_tracklist_gives_way_to_the_standard_edition(recorded, ok_computer):
    for n in range(1, 42):  # what the most wanted pressing, a 41-track box, had told us
        TrackFactory(album=ok_computer, sequence=n, title=f"Deluxe {n}")
    Album.objects.filter(pk=ok_computer.pk).update(track_count=41)
    box = ReleaseFactory(album=ok_computer, discogs_id=9_999_001, is_main_release=True, want=5000)
    main = ReleaseFactory(album=ok_computer, discogs_id=2317517, is_main_release=False, want=10)

    with replaying(recorded):
        services.sync_album_tracklist(Album.objects.get(pk=ok_computer.pk))

    album = Album.objects.get(pk=ok_computer.pk)
    assert album.track_count == 12 and list(album.tracks.values_list("title", flat=True)[:4]) == OK_COMPUTER_TITLES
    assert services.representative_release(album) == main
    box.refresh_from_db()
    assert not box.is_main_release


def test_a_non_main_pressing_never_replaces_the_standard_tracklist(recorded, ok_computer):
    with replaying(recorded):
        services.sync_album_tracklist(ok_computer)
    album = Album.objects.get(pk=ok_computer.pk)
    deluxe = ReleaseFactory(album=album, is_main_release=False, year=2017)  # OKNOTOK, 20 years on
    services.save_tracklist(album, deluxe, SimpleNamespace(tracklist=[t for t in album.tracks.all()] * 3, formats=()))

    assert album.tracks.count() == 12 and Album.objects.get(pk=album.pk).track_count == 12


def test_the_year_is_the_first_releases_not_a_reissues(recorded, ok_computer):
    Album.objects.filter(pk=ok_computer.pk).update(first_release_year=2009)  # learnt from a reissue
    with replaying(recorded):
        services.sync_album_tracklist(Album.objects.get(pk=ok_computer.pk))

    assert Album.objects.get(pk=ok_computer.pk).first_release_year == 1997


def test_a_pressings_year_or_a_blank_never_replaces_a_good_one():
    album = AlbumFactory(first_release_year=1969, year_source=YearSource.LIST, mbid=None)
    upsert_album(album.artist, album.title, first_release_year=2016)  # a pressing's year
    upsert_album(album.artist, album.title, first_release_year=None)
    assert Album.objects.get(pk=album.pk).first_release_year == 1969


def test_an_album_asked_once_costs_no_second_call(recorded, ok_computer):
    with replaying(recorded):
        services.sync_album_tracklist(ok_computer)
        calls = ApiCall.objects.count()
        services.sync_album_tracklist(Album.objects.get(pk=ok_computer.pk))

    assert ApiCall.objects.count() == calls == 1
    assert not services.albums_due_for_tracklist().exists()


def test_a_master_discogs_does_not_know_is_kept_on_the_album_and_not_asked_again(tmp_path):
    record_fixture(tmp_path, "GET", "https://api.discogs.com/masters/404404", 404, {"message": "Master not found."})
    album = AlbumFactory(discogs_master_id=404404, track_count=None)
    with replaying(tmp_path):
        services.sync_album_tracklist(album)

    album.refresh_from_db()
    assert album.track_count is None and "404" in album.last_error and album.tracklist_checked_at is not None


def test_the_pressings_task_chains_into_the_standard_tracklist(ok_computer, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks, "follow_up", lambda task, *args, **kw: queued.append((task.name, args, kw)))
    monkeypatch.setattr(services, "sync_album_releases", lambda album: album)

    tasks.sync_album_releases(ok_computer.pk, follow=True, priority=7)

    assert queued == [("catalog.sync_album_tracklist", (ok_computer.pk,), {"follow": True, "priority": 7})]
    assert tasks.sync_album_tracklist.queue == "discogs"


def test_the_tracklist_task_then_details_the_representative_pressing(recorded, ok_computer, monkeypatch):
    main = ReleaseFactory(album=ok_computer, discogs_id=2317517)
    queued = []
    monkeypatch.setattr(tasks, "follow_up", lambda task, *args, **kw: queued.append((task.name, args, kw)))
    with replaying(recorded):
        assert tasks.sync_album_tracklist(ok_computer.pk, follow=True, priority=7) == 12

    # The recorded master's images are on Discogs' retired host: no cover yet, so the cover step follows.
    assert queued == [
        ("catalog.sync_release_details", (main.pk,), {"priority": 7}),
        ("catalog.sync_album_cover", (ok_computer.pk,), {"priority": 7}),
    ]


def test_the_backfill_command_fills_what_is_due_and_says_so(recorded, ok_computer, capsys):
    AlbumFactory(discogs_master_id=None, track_count=None)  # no master: nothing to ask
    with replaying(recorded):
        call_command("fill_track_counts", "--no-progress")
        first = capsys.readouterr().out
        call_command("fill_track_counts", "--no-progress")
        second = capsys.readouterr().out

    assert Album.objects.get(pk=ok_computer.pk).track_count == 12
    assert "1 of 2 studio albums have a track count, 0 masters still to ask" in first
    assert "1 of 2 studio albums have a track count" in second and ApiCall.objects.count() == 1


def test_the_monthly_fan_out_enqueues_the_masters_not_yet_asked(ok_computer, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.sync_album_tracklist, "delay", lambda pk, **kw: queued.append(pk))
    for other in (tasks.sync_artist, tasks.sync_album_releases, tasks.sync_release_details):
        monkeypatch.setattr(other, "delay", lambda pk, **kw: None)
    AlbumFactory(discogs_master_id=5555, track_count=10, tracklist_checked_at="2026-01-01T00:00Z")

    counts = tasks.refresh_stale.delay().get()

    assert queued == [ok_computer.pk] and counts["standard_tracklists"] == 1
