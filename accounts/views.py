"""The listener's own pages: landing extras, onboarding (taste sources, seeds, options)."""
from allauth.socialaccount.forms import DisconnectForm
from allauth.socialaccount.models import SocialAccount
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from catalog.models import Artist
from catalog.services import get_or_create_artist
from integrations.errors import ApiError

from . import sources
from .forms import LastfmStartForm, ProfileForm, SourceUsernameForm
from .models import ListeningSnapshot, Profile, SeedArtist
from .services import add_seed_artist, remove_seed_artist
from .signals import taste_changed
from .tasks import sync_source

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
    if username and not request.user.profile.lastfm_username:
        _set_lastfm(request, username)


def _set_lastfm(request, username):
    profile = request.user.profile
    profile.lastfm_username = username
    profile.save(update_fields=["lastfm_username"])
    messages.success(request, f"Last.fm user {username} connected: “Sync now” reads your scrobbles.")


# --- onboarding ------------------------------------------------------------------------


def _username_source(name):
    """A registered source connected by a username on the profile, or 404."""
    taste = next((s for s in sources.registered() if s.name == name and s.by_username), None)
    if taste is None:
        raise Http404("Unknown source")
    return taste


def _syncable_source(name):
    taste = next((s for s in sources.syncable() if s.name == name), None)
    if taste is None:
        raise Http404("Unknown source")
    return taste


@login_required
@require_GET
def onboarding(request):
    _claim_pending_lastfm(request)
    form = ProfileForm(instance=request.user.profile)
    return render(request, "accounts/onboarding.html", _onboarding_context(request, form))


def _onboarding_context(request, form):
    return {
        "form": form,
        "seeds": _seeds(request.user),
        "listened": _listened(request.user),
        "social_accounts": SocialAccount.objects.filter(user=request.user),
        "username_sources": _username_sources(request.user),
        **_seed_search_context(request),
        "title": "Your taste",
    }


def _username_sources(user):
    """Every registered source connected by username, with the listener's username and last sync."""
    synced = dict(
        ListeningSnapshot.objects.filter(user=user).values("source").annotate(at=Max("fetched_at")).values_list("source", "at")
    )
    return [
        {"key": taste.name, "label": taste.label, "username": taste.username(user), "synced_at": synced.get(taste.name)}
        for taste in sources.registered()
        if taste.by_username
    ]


def _seed_search_context(request):
    query = request.GET.get("q", "").strip()
    return {
        "query": query,
        "artists": Artist.objects.search(query)[:SEED_SEARCH_LIMIT] if query else [],
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
    messages.success(request, "Saved. Your recommendations now use these settings.")
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
    artist, error = _artist_to_seed(request.POST)
    if artist is not None:
        add_seed_artist(request.user, artist)
    return _seeds_response(request, error)


def _artist_to_seed(data):
    """(artist, None), or (None, why not) in words for the listener."""
    if data.get("artist_id", "").isdigit():
        artist = Artist.objects.filter(pk=data["artist_id"]).first()
        return (artist, None) if artist else (None, "That artist is no longer in our catalog.")
    name = data.get("name", "").strip()[:300]
    if not name:
        return None, "Type an artist's name first."
    try:
        return get_or_create_artist(name=name), None
    except ApiError:
        return None, f"We could not look up “{name}” right now; try again in a moment."


@login_required
@require_POST
def seed_remove(request, artist_id):
    if not _seeds(request.user).filter(artist_id=artist_id).exists():
        raise Http404("Not one of your artists")
    remove_seed_artist(request.user, artist_id)
    return _seeds_response(request)


def _seeds_response(request, error=None):
    if request.htmx:
        return render(request, "accounts/_seed_list.html", {"seeds": _seeds(request.user), "error": error})
    if error:
        messages.error(request, error)
    return redirect("accounts:onboarding")


@login_required
@require_POST
def username_connect(request, source):
    """Start reading a listening source we know by username."""
    taste = _username_source(source)
    form = SourceUsernameForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["username"][0])
        return redirect("accounts:onboarding")
    taste.set_username(request.user, form.cleaned_data["username"])
    messages.success(request, f"{taste.label} user {form.cleaned_data['username']} connected: “Sync now” reads it.")
    return redirect("accounts:onboarding")


@login_required
@require_POST
def username_disconnect(request, source):
    """Stop reading a listening source we know by username (Last.fm, ListenBrainz, Discogs)."""
    taste = _username_source(source)
    taste.set_username(request.user, "")
    messages.success(request, f"{taste.label} disconnected.")
    return redirect("accounts:onboarding")


@login_required
@require_POST
def source_sync(request, source):
    """Read a connected listening source now instead of waiting for the nightly sync."""
    label = _syncable_source(source).label
    try:
        sync_source.delay(request.user.pk, source)
    except ApiError as error:  # eager Celery (the embedded default) runs the sync right here
        messages.error(request, f"{label} could not be read: {error}")
    else:
        messages.success(request, f"Reading your {label} data; your recommendations follow it.")
    return redirect("accounts:onboarding")


@login_required
@require_POST
def source_disconnect(request, account_id):
    """Disconnect a Spotify or Discogs login, through allauth's own checks."""
    form = DisconnectForm(data={"account": account_id}, request=request)
    if not form.fields["account"].queryset.filter(pk=account_id).exists():
        raise Http404("Not one of your connections")
    if form.is_valid():
        form.save()
        messages.success(request, "Disconnected.")
    else:
        messages.error(request, " ".join(form.non_field_errors()) or "Could not disconnect that account.")
    return redirect("accounts:onboarding")
