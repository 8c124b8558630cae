"""Everything we hold about one listener: found by walking the app registry, so a model added
later with a foreign key to the user is exported and deleted without a change here.

The rows are those of every model with a foreign key (or one-to-one) to the user, and of the
models hanging off those (a set's items, a social account's tokens, a watch's matches).
Credentials (password hashes, OAuth tokens, the feed token) are named in the export but not
copied into it. Deleting a user removes exactly those rows (their own foreign keys cascade or
are cleared); the shared catalog and the anonymous price history stay. The deletion is logged
with counts per model, never with who it was.
"""

import csv
import io
import json
import logging
import zipfile
from collections import Counter

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers, signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

logger = logging.getLogger("vinilogy.deletions")
CREDENTIALS = {"password", "token", "token_secret", "feed_token", "email_secret", "secret"}
REDACTED = "[credential: not exported]"
DELETE_LINK_SALT = "vinilogy.delete-account"
DELETE_LINK_MAX_AGE = 2 * 24 * 3600


def user_foreign_keys():
    """(model, field name) for every concrete foreign key or one-to-one to the user model."""
    User = get_user_model()
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and (field.many_to_one or field.one_to_one) and field.related_model is User and model is not User
    ]


def dependent_foreign_keys(owners):
    """(model, field name) of models pointing at a user-owned model, not owned directly."""
    owned = {model for model, _ in owners}
    return [
        (model, field.name)
        for model in apps.get_models()
        if model not in owned
        for field in model._meta.get_fields()
        if field.concrete and (field.many_to_one or field.one_to_one) and field.related_model in owned
    ]


def owned_querysets(user):
    """(model, queryset) of every row that belongs to or hangs off the user."""
    owners = user_foreign_keys()
    found = [(model, model._default_manager.filter(**{name: user})) for model, name in owners]
    for model, name in dependent_foreign_keys(owners):
        parent_filters = [f"{name}__{field}" for parent, field in owners if parent is model._meta.get_field(name).related_model]
        for lookup in parent_filters:
            found.append((model, model._default_manager.filter(**{lookup: user})))
    return found


def _redacted(records):
    for record in records:
        for name in CREDENTIALS & set(record["fields"]):
            record["fields"][name] = REDACTED
    return records


def export_json(user):
    """{"user": …, "models": {"app.model": [rows]}} of everything we hold about the user."""
    data = {"user": _redacted(serializers.serialize("python", [user]))[0], "models": {}}
    for model, queryset in owned_querysets(user):
        rows = _redacted(serializers.serialize("python", queryset.order_by("pk")))
        data["models"].setdefault(model._meta.label_lower, []).extend(rows)
    return data


def _csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def csv_files(user):
    """The lists a listener may want in a spreadsheet: seeds, feedback, wantlist, watches."""
    seeds = user.seed_artists.select_related("artist").order_by("-weight")
    feedback = user.feedback.select_related("album__artist").order_by("-at")
    wantlist = user.collection_items.filter(folder="wantlist").select_related("release")
    watches = user.watches.select_related("album__artist").prefetch_related("releases")
    return {
        "seeds.csv": _csv(
            ["artist", "source", "weight", "playcount", "added"],
            [(s.artist.name, s.source, s.weight, s.playcount, s.created_at.isoformat()) for s in seeds],
        ),
        "feedback.csv": _csv(
            ["artist", "album", "kind", "at"], [(f.album.artist.name, f.album.title, f.kind, f.at.isoformat()) for f in feedback]
        ),
        "wantlist.csv": _csv(
            ["discogs_release_id", "title", "artist", "country", "year", "added"],
            [
                (
                    i.release.discogs_id,
                    i.release.title,
                    i.release.artist_credit,
                    i.release.country,
                    i.release.year,
                    i.added_at.isoformat() if i.added_at else "",
                )
                for i in wantlist
            ],
        ),
        "watches.csv": _csv(
            ["artist", "album", "max_total_eur", "pressing_country", "year_from", "year_to", "releases", "active", "created"],
            [
                (
                    w.album.artist.name,
                    w.album.title,
                    w.max_total_eur,
                    w.pressing_country,
                    w.year_from or "",
                    w.year_to or "",
                    " ".join(str(r.discogs_id) for r in w.releases.all()),
                    w.is_active,
                    w.created_at.isoformat(),
                )
                for w in watches
            ],
        ),
    }


def export_zip(user):
    """One download: data.json plus the CSV files, as zip bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(export_json(user), cls=DjangoJSONEncoder, indent=1, ensure_ascii=False))
        for name, text in csv_files(user).items():
            archive.writestr(name, text)
    return buffer.getvalue()


def delete_user(user, *, by):
    """Remove the user and every row that belongs to them; log counts only. Returns the counts."""
    with transaction.atomic():
        counts = Counter({model._meta.label: queryset.count() for model, queryset in owned_querysets(user)})
        user.delete()
    logger.info(
        "Account deleted (%s): %s", by, ", ".join(f"{label} {n}" for label, n in sorted(counts.items()) if n) or "no rows"
    )
    return counts


def delete_link_token(user):
    return signing.dumps({"u": user.pk}, salt=DELETE_LINK_SALT)


def delete_link_user_id(token):
    try:
        return signing.loads(token, salt=DELETE_LINK_SALT, max_age=DELETE_LINK_MAX_AGE)["u"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
