"""The co-listening model as a versioned artifact: written by the fit, loaded once per process.

    version = publish(model, listeners=..., fit_seconds=..., ...)   # the `model` queue's job
    published = current()                                            # ranking: (version, model) or None

`publish` writes the engine's .npz (uncompressed, so it can be memory-mapped) under a temporary
name in settings.MODEL_DIR, fsyncs it and os.replace()s it to its final name: a file with a
final name is always whole. Only then is the ModelVersion row created, and the newest row is the
current model, so a reader never meets a row without its file. The newest MODEL_VERSIONS_KEPT
versions are kept; older rows and files are removed.

`current` asks the database which version is newest (one indexed query) and loads that file only
when the process has not loaded it yet: a web or worker process reads each version once, maps
its arrays read-only (processes on one machine share the pages), and moves to a new version on
the first ranking after it is published.
"""

import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import engine
from .models import ModelVersion

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_loaded: dict[int, engine.ArtistModel] = {}  # version id → model; only the current one is kept


@dataclass(frozen=True)
class Published:
    version: ModelVersion
    model: engine.ArtistModel


def model_dir() -> Path:
    return Path(settings.MODEL_DIR)


def publish(model: engine.ArtistModel, *, data_at, trainer: str, listeners: int, fit_seconds: float, quality=None):
    """Write `model` as the new current version; returns its ModelVersion row."""
    directory = model_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    final = directory / f"model-{stamp}.npz"
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".model-", suffix=".npz.tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            engine.save_model(model, out, compressed=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    version = ModelVersion.objects.create(
        data_at=data_at,
        filename=final.name,
        trainer=trainer,
        listeners=listeners,
        artists=model.n_artists,
        edges=sum(matrix.nnz for matrix in model.sources().values()),
        size_bytes=final.stat().st_size,
        fit_seconds=round(fit_seconds, 3),
        ndcg_at_20=quality.ndcg if quality and quality.listeners else None,
        quality_listeners=quality.listeners if quality else 0,
    )
    prune(settings.MODEL_VERSIONS_KEPT)
    return version


def prune(keep: int) -> int:
    """Remove all but the newest `keep` versions (rows and files); returns how many went."""
    old = list(ModelVersion.objects.order_by("-pk")[max(keep, 1) :])
    for version in old:
        (model_dir() / version.filename).unlink(missing_ok=True)
    ModelVersion.objects.filter(pk__in=[version.pk for version in old]).delete()
    return len(old)


def current() -> Published | None:
    """The newest version and its model, loaded once per process; None before the first fit
    (or when its file is missing here: logged, and ranking falls back to the stored rows)."""
    version = ModelVersion.objects.order_by("-pk").first()
    if version is None:
        return None
    model = _loaded.get(version.pk)
    if model is None:
        model = _load(version)
    return None if model is None else Published(version, model)


def _load(version: ModelVersion) -> engine.ArtistModel | None:
    with _lock:
        if version.pk in _loaded:  # another thread of this process loaded it meanwhile
            return _loaded[version.pk]
        path = model_dir() / version.filename
        try:
            model = engine.load_model(path, mmap=True)
        except FileNotFoundError:
            logger.error("Model version %s: %s is missing from MODEL_DIR", version.pk, path)
            return None
        model.column_of()  # built once here, not on the first request that ranks
        _loaded.clear()
        _loaded[version.pk] = model
        return model


def forget_loaded() -> None:
    """Drop this process's loaded model (tests; a process that wants to release the memory)."""
    with _lock:
        _loaded.clear()
