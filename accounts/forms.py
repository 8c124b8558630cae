"""Forms of the listener's own pages: taste sources, shipping country, import options, blocklist."""

from django import forms
from django.utils.translation import gettext as _, gettext_lazy

from catalog.models import Artist
from catalog.normalize import normalize_artist_name
from pricing import sources as price_sources
from pricing.filters import SellerRegion

from . import sources as listening_sources, usernames
from .models import Profile


class LastfmStartForm(forms.Form):
    """The landing page's one field: start from a Last.fm username."""

    lastfm_username = forms.CharField(max_length=100, label=gettext_lazy("Your Last.fm username"))

    def clean_lastfm_username(self):
        value = self.cleaned_data["lastfm_username"].strip()
        if usernames.problem("lastfm", value):
            raise forms.ValidationError(usernames.problem("lastfm", value))
        return value


class CollectionCsvForm(forms.Form):
    """The Discogs collection export (Discogs → Collection → Export), as a CSV file."""

    MAX_BYTES = 5 * 1024 * 1024
    file = forms.FileField(label=gettext_lazy("Your Discogs collection export (CSV)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("That file is larger than 5 MB: a Discogs collection export is much smaller."))
        return upload


class SourceUsernameForm(forms.Form):
    """Connect a listening source by username (any source of accounts/sources that connects so)."""

    username = forms.CharField(
        max_length=100, label=gettext_lazy("Username"), error_messages={"required": gettext_lazy("Type your username first.")}
    )

    def __init__(self, *args, source: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source

    def clean_username(self):
        """Checked against the source's own character set (accounts.usernames)."""
        value = self.cleaned_data["username"].strip()
        if usernames.problem(self.source, value):
            raise forms.ValidationError(usernames.problem(self.source, value))
        return value


class ProfileForm(forms.ModelForm):
    blocked = forms.CharField(
        required=False,
        label=gettext_lazy("Never recommend these artists"),
        help_text=gettext_lazy("One artist per line, as named in our catalog."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Profile
        fields = [
            "country",
            "min_tracks_per_album",
            "min_playcount",
            "min_condition",
            "seller_region",
            "max_shipping_eur",
            "min_seller_rating",
            "min_seller_ratings",
        ]
        labels = {
            "country": gettext_lazy("Ship records to"),
            "min_tracks_per_album": gettext_lazy("Skip albums with fewer tracks than"),
            "min_playcount": gettext_lazy("Ignore artists I played fewer times than"),
            "min_condition": gettext_lazy("Minimum record condition"),
            "seller_region": gettext_lazy("Buy from sellers in"),
            "max_shipping_eur": gettext_lazy("Maximum shipping (EUR)"),
            "min_seller_rating": gettext_lazy("Minimum seller rating (%)"),
            "min_seller_ratings": gettext_lazy("Minimum number of seller ratings"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One username per listening source connected by username (the registry), first.
        usernames_first = {}
        for source in username_sources():
            user = self.instance.user if self.instance.pk else None
            usernames_first[username_field(source)] = forms.CharField(
                max_length=100,
                required=False,
                initial=source.username(user) if user else "",
                label=_("%(source)s username") % {"source": source.label},
            )
        self.fields = {**usernames_first, **self.fields}
        self.fields["min_tracks_per_album"].widget.attrs.update(min=1, max=40)
        self.fields["min_playcount"].required = False  # empty means no minimum
        self.fields["min_playcount"].widget.attrs.update(min=0)
        self.fields["max_shipping_eur"].widget.attrs.update(min=0, step="0.01")
        self.fields["min_seller_rating"].widget.attrs.update(min=0, max=100, step="0.1")
        self.fields["min_seller_ratings"].widget.attrs.update(min=0)
        self.fields["seller_region"].required = False  # not sent = anywhere, as before the filters existed
        if self.instance.pk:
            names = self.instance.blocked_artists.order_by("name").values_list("name", flat=True)
            self.initial.setdefault("blocked", "\n".join(names))
        # One switch per price source a listener may leave out (the registry's `optional` ones).
        for source in price_sources.optional():
            self.fields[source_field(source)] = forms.BooleanField(
                required=False,
                initial=source.name not in self.instance.excluded_sources,
                label=_("Include %(source)s offers") % {"source": source.label},
            )

    @property
    def price_source_fields(self):
        return [self[source_field(source)] for source in price_sources.optional()]

    def clean_min_tracks_per_album(self):
        value = self.cleaned_data["min_tracks_per_album"]
        if not 1 <= value <= 40:
            raise forms.ValidationError(_("Choose between 1 and 40 tracks."))
        return value

    def clean_seller_region(self):
        return self.cleaned_data.get("seller_region") or SellerRegion.ANYWHERE

    def clean_max_shipping_eur(self):
        value = self.cleaned_data.get("max_shipping_eur")
        if value is not None and value < 0:
            raise forms.ValidationError(_("Shipping cannot cost less than nothing: leave it empty for no maximum."))
        return value

    def clean_min_playcount(self):
        return self.cleaned_data.get("min_playcount") or 0

    def clean(self):
        cleaned = super().clean()
        for source in username_sources():
            name = username_field(source)
            value = (cleaned.get(name) or "").strip()
            if value and usernames.problem(source.name, value):
                self.add_error(name, usernames.problem(source.name, value))
            cleaned[name] = value
        return cleaned

    @property
    def username_fields(self):
        return [self[username_field(source)] for source in username_sources()]

    def clean_blocked(self):
        """Names → catalog artists; a name we do not know is an error, not silently dropped."""
        names = [line.strip() for line in self.cleaned_data["blocked"].splitlines() if line.strip()]
        keys = {normalize_artist_name(name): name for name in names}
        artists = list(Artist.objects.filter(normalized_name__in=keys))
        unknown = set(keys) - {artist.normalized_name for artist in artists}
        if unknown:
            missing = ", ".join(sorted(keys[key] for key in unknown))
            raise forms.ValidationError(_("Not in our catalog: %(names)s. Check the spelling.") % {"names": missing})
        return artists

    def save(self, commit=True):
        self.instance.excluded_sources = [
            source.name for source in price_sources.optional() if not self.cleaned_data.get(source_field(source))
        ]
        profile = super().save(commit=commit)
        if commit:
            profile.blocked_artists.set(self.cleaned_data["blocked"])
            for source in username_sources():
                if self.cleaned_data[username_field(source)] != source.username(profile.user):
                    source.set_username(profile.user, self.cleaned_data[username_field(source)])
        return profile


def username_sources():
    return [source for source in listening_sources.registered() if source.by_username]


def username_field(source):
    """The options form's username of a listening source: <name>_username."""
    return f"{source.name}_username"


def source_field(source):
    """The options form's switch of an optional price source: include_<name>."""
    return f"include_{source.name}"
