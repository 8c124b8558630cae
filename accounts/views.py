"""The listener's own pages: landing extras, onboarding (taste sources, seeds, options)."""

from allauth.socialaccount.forms import DisconnectForm
from allauth.socialaccount.models import SocialAccount
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.models import Artist, Source
from catalog.upsert import find_artist, upsert_artist
from integrations.limits import rate_limited, refusal
from integrations.queue import enqueue_api_task, failure_note
from pricing.countries import country_name

from . import collection_import, collection_value, sources
from .catalog_build import finish_if_built
from .filters import buying_filters
from .forms import CollectionCsvForm, LastfmStartForm, ProfileForm, SourceUsernameForm
from .models import CollectionImport, ListeningSnapshot, Profile, SeedArtist
from .services import (
    add_seed_artist,
    forget_preview,
    look_up_new_artist,
    lookup_state,
    remove_seed_artist,
    stored_preview,
)
from .signals import taste_changed
from .sources.spotify import social_token

PENDING_LASTFM = "pending_lastfm_username"
SEED_SEARCH_LIMIT = 8


# --- landing ---------------------------------------------------------------------------


@require_POST
def start_with_lastfm(request):
    """The landing form: a listener's username is saved now; a visitor's waits for their sign-up."""
    form = LastfmStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["lastfm_username"][0])
        return redirect("home")
    username = form.cleaned_data["lastfm_username"]
    onboarding = reverse("accounts:onboarding")
    if request.user.is_authenticated:
        _set_lastfm(request, username)
        return redirect(onboarding)
    request.session[PENDING_LASTFM] = username
    return redirect(f"{reverse('account_signup')}?{urlencode({'next': onboarding})}")


def _claim_pending_lastfm(request):
    """A username typed on the landing page before signing up lands on the new profile."""
    username = request.session.pop(PENDING_LASTFM, "")
    if username and not sources.get("lastfm").username(request.user):
        _set_lastfm(request, username)


def _set_lastfm(request, username):
    sources.get("lastfm").set_username(request.user, username)
    messages.success(request, _("Last.fm user %(username)s connected: “Sync now” reads your scrobbles.") % {"username": username})


# --- onboarding ------------------------------------------------------------------------


def _source_or_404(name, able):
    """The registered source `name` when `able(source)` holds (connects by username, is read by
    a sync), else 404."""
    try:
        taste = sources.get(name)
    except KeyError:
        raise Http404("Unknown source") from None
    if not able(taste):
        raise Http404("Unknown source")
    return taste


def _username_source(name):
    return _source_or_404(name, lambda taste: taste.by_username)


def _syncable_source(name):
    return _source_or_404(name, lambda taste: taste.syncable)


@login_required
@require_GET
def onboarding(request):
    _claim_pending_lastfm(request)
    form = ProfileForm(instance=request.user.profile)
    return render(request, "accounts/onboarding.html", _onboarding_context(request, form))


def _onboarding_context(request, form):
    return {
        "form": form,
        **_seed_list_context(request.user),
        "listened": _listened(request.user),
        "social_accounts": SocialAccount.objects.filter(user=request.user),
        "username_sources": _username_sources(request.user),
        **_seed_search_context(request),
        "title": _("Your taste"),
    }


def _username_sources(user):
    """Every registered source connected by username, with the listener's username and last sync."""
    synced = dict(
        ListeningSnapshot.objects.filter(user=user).values("source").annotate(at=Max("fetched_at")).values_list("source", "at")
    )
    brought = dict(SeedArtist.objects.filter(user=user).values("source").annotate(n=Count("pk")).values_list("source", "n"))
    return [
        {
            "key": taste.name,
            "label": taste.label,
            "username": taste.username(user),
            "synced_at": synced.get(taste.name),
            "artists": brought.get(taste.name, 0),
        }
        for taste in sources.registered()
        if taste.by_username
    ]


def _seed_search_context(request):
    query = request.GET.get("q", "").strip()
    return {
        "query": query,
        "artists": Artist.objects.search(query).visible_to(request.user)[:SEED_SEARCH_LIMIT] if query else [],
        "seeded": set(_seeds(request.user).values_list("artist_id", flat=True)) if query else set(),
    }


def _listened(user, limit=20):
    """The strongest artists from listening sources and Discogs (kept in sync by those sources, not here)."""
    seeds = SeedArtist.objects.filter(user=user).exclude(source="manual").select_related("artist")
    return seeds.order_by("-weight", "artist__name")[:limit]


def _seeds(user):
    return SeedArtist.objects.filter(user=user, source="manual").select_related("artist").order_by("artist__name")


@login_required
@require_POST
def profile_update(request):
    form = ProfileForm(request.POST, instance=request.user.profile)
    if not form.is_valid():
        return render(request, "accounts/onboarding.html", _onboarding_context(request, form), status=400)
    form.save()
    taste_changed.send(sender=Profile, user=request.user)
    messages.success(request, _("Saved. Your recommendations now use these settings."))
    return redirect("accounts:onboarding")


@login_required
@require_GET
def seed_search(request):
    """Typeahead over the catalog; on a miss the partial offers a Last.fm lookup."""
    return render(request, "accounts/_seed_search_results.html", _seed_search_context(request))


@login_required
@require_POST
def seed_add(request):
    """Add a seed by catalog id, or by name through the database-first artist lookup (Last.fm on a miss)."""
    if _is_new_name(request.POST) and (refused := refusal(request, "new_artist")):
        return refused
    artist, error = _artist_to_seed(request.POST)
    if artist is not None:
        add_seed_artist(request.user, artist)
        look_up_new_artist(request.user, artist)
    return _seeds_response(request, error)


def _is_new_name(data):
    """A name typed that our catalog does not know: adding it would add an artist."""
    name = data.get("name", "").strip()[:300]
    return bool(name) and not data.get("artist_id", "").isdigit() and find_artist(name) is None


def _artist_to_seed(data):
    """(artist, None), or (None, why not) in words for the listener.

    A name we do not know yet becomes a bare artist at once; adding the seed enqueues its
    lookup (MusicBrainz, Last.fm) and catalog chain, and the seed list says how that went.
    No request waits on a provider."""
    if data.get("artist_id", "").isdigit():
        artist = Artist.objects.filter(pk=data["artist_id"]).first()
        return (artist, None) if artist else (None, _("That artist is no longer in our catalog."))
    name = data.get("name", "").strip()[:300]
    if not name:
        return None, _("Type an artist's name first.")
    return find_artist(name) or upsert_artist(name, source=Source.MANUAL).obj, None


@login_required
@require_POST
def seed_remove(request, artist_id):
    if not _seeds(request.user).filter(artist_id=artist_id).exists():
        raise Http404("Not one of your artists")
    remove_seed_artist(request.user, artist_id)
    return _seeds_response(request)


@login_required
@require_GET
def seed_list(request):
    """The seed list alone: polled while an artist added by name is being looked up."""
    return render(request, "accounts/_seed_list.html", _seed_list_context(request.user))


def _seed_list_context(user, error=None):
    seeds = list(_seeds(user))
    for seed in seeds:
        seed.lookup, seed.lookup_error = lookup_state(seed.artist)
    return {"seeds": seeds, "error": error, "looking_up": any(seed.lookup == "pending" for seed in seeds)}


@login_required
@require_GET
def catalog_progress(request):
    """How far the catalog chain for the listener's taste got; polled until it is done."""
    return render(request, "accounts/_catalog_progress.html", {"progress": finish_if_built(request.user)})


def _seeds_response(request, error=None):
    if request.htmx:
        return render(request, "accounts/_seed_list.html", _seed_list_context(request.user, error))
    if error:
        messages.error(request, error)
    return redirect("accounts:onboarding")


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("csv_upload")
def collection_csv(request):
    """Upload the Discogs collection CSV export: stored as a job, and the progress page answers at once."""
    form = CollectionCsvForm(request.POST, request.FILES) if request.method == "POST" else CollectionCsvForm()
    if form.is_bound and form.is_valid():
        try:
            job = collection_import.start(request.user, form.cleaned_data["file"])
        except collection_import.NotAnExport as problem:
            form.add_error("file", _("Line 1: %(problem)s") % {"problem": problem})
        else:
            return redirect("accounts:collection_csv_job", job.pk)
    context = {"form": form, "title": _("Import your Discogs collection"), "jobs": request.user.collection_imports.all()[:5]}
    return render(request, "accounts/collection_csv.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def collection_csv_job(request, job_id):
    """How the listener's collection import is going (polled in place by htmx until it ends)."""
    job = get_object_or_404(CollectionImport, pk=job_id, user=request.user)
    collection_import.resume_if_stalled(job)
    template = "accounts/_collection_csv_job.html" if request.htmx else "accounts/collection_csv_job.html"
    return render(request, template, {"job": job, "title": _("Importing your Discogs collection")})


@login_required
@require_POST
def username_connect(request, source):
    """Start reading a listening source we know by username."""
    taste = _username_source(source)
    form = SourceUsernameForm(request.POST, source=taste.name)
    if not form.is_valid():
        messages.error(request, form.errors["username"][0])
        return redirect("accounts:onboarding")
    taste.set_username(request.user, form.cleaned_data["username"])
    messages.success(
        request,
        _("%(source)s user %(username)s connected: “Sync now” reads it.")
        % {"source": taste.label, "username": form.cleaned_data["username"]},
    )
    return redirect("accounts:onboarding")


@login_required
@require_POST
def username_disconnect(request, source):
    """Stop reading a listening source we know by username (Last.fm, ListenBrainz, Discogs)."""
    taste = _username_source(source)
    taste.set_username(request.user, "")
    messages.success(request, _("%(source)s disconnected.") % {"source": taste.label})
    return redirect("accounts:onboarding")


@login_required
@require_POST
@rate_limited("sync")
def source_sync(request, source):
    """Read a connected listening source now instead of waiting for the nightly sync."""
    taste = _syncable_source(source)
    why_not = taste.not_available_here()
    if why_not:
        messages.info(request, _("%(reason)s.") % {"reason": why_not})
        return redirect("accounts:onboarding")
    # A worker reads it; on the embedded default it runs once this response is sent.
    enqueue_api_task("accounts.sync_source", request.user.pk, source)
    messages.success(request, _("Reading your %(source)s data; your recommendations follow it.") % {"source": taste.label})
    return redirect("accounts:onboarding")


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("sync")
def source_preview(request, source):
    """POST asks for a preview of what a sync would change (a task reads the provider); GET
    shows it once ready, polling until then. Nothing is written until "Sync now"."""
    taste = _syncable_source(source)
    if request.method == "POST":
        forget_preview(request.user, source)
        enqueue_api_task("accounts.preview_source", request.user.pk, source)
    lines = stored_preview(request.user, source)
    failure = failure_note("accounts.preview_source", request.user.pk) if lines is None else None
    context = {"source": taste, "lines": lines, "failure": failure, "title": _("Preview · %(source)s") % {"source": taste.label}}
    template = "accounts/_source_preview.html" if request.htmx else "accounts/source_preview.html"
    return render(request, template, context)


@login_required
@require_POST
def source_disconnect(request, account_id):
    """Disconnect a Spotify or Discogs login, through allauth's own checks."""
    form = DisconnectForm(data={"account": account_id}, request=request)
    if not form.fields["account"].queryset.filter(pk=account_id).exists():
        raise Http404("Not one of your connections")
    if form.is_valid():
        form.save()
        messages.success(request, _("Disconnected."))
    else:
        messages.error(request, " ".join(form.non_field_errors()) or _("Could not disconnect that account."))
    return redirect("accounts:onboarding")


# --- collection value ------------------------------------------------------------------------


@login_required
@require_GET
def collection_value_page(request):
    """What the listener's collection is worth, its weekly history and its movers. The week's
    point is written by a task (it may ask Discogs), started here when the week has none yet."""
    country = buying_filters(request.user).country
    value = collection_value.collection_value(request.user, country)
    if value.records and not any(point.week == collection_value.week_of(timezone.localdate()) for point in value.history):
        enqueue_api_task("accounts.record_collection_value", request.user.pk)
    context = {
        "value": value,
        "shown": value.records[:RECORDS_SHOWN],
        "country_name": country_name(country),
        "connected": social_token(request.user, "discogs") is not None,
        "title": _("Collection value"),
    }
    return render(request, "accounts/collection_value.html", context)


RECORDS_SHOWN = 50
