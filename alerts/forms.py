from django import forms
from django.utils.translation import gettext_lazy as _

from pricing.deals import LEVEL_CHOICES
from pricing.filters import SellerRegion
from pricing.models import PriceQuote

from .models import AlertSettings, InstantChannel, Watch


class WatchForm(forms.ModelForm):
    min_condition = forms.ChoiceField(
        choices=[("", _("My filter"))] + [c for c in PriceQuote.Condition.choices if c[0]], required=False
    )
    seller_region = forms.ChoiceField(choices=[("", _("My filter"))] + SellerRegion.choices, required=False)
    min_deal_level = forms.ChoiceField(choices=[("", _("Any price under the threshold"))] + LEVEL_CHOICES[:-1], required=False)
    pressing_target = forms.ChoiceField(choices=Watch.Pressings.choices, required=False, label=_("Which pressings"))

    class Meta:
        model = Watch
        fields = [
            "max_total_eur",
            "pressing_target",
            "releases",
            "pressing_country",
            "year_from",
            "year_to",
            "min_condition",
            "seller_region",
            "max_shipping_eur",
            "min_seller_rating",
            "min_seller_ratings",
            "min_deal_level",
        ]
        labels = {
            "max_total_eur": _("At most (€, landed)"),
            "min_seller_rating": _("Minimum seller rating (%)"),
            "min_seller_ratings": _("Minimum number of seller ratings"),
            "min_deal_level": _("Only offers rated at least"),
        }

    def __init__(self, *args, album, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["releases"].queryset = album.releases.all()
        self.fields["releases"].required = False
        if hasattr(self.data, "getlist") and "" in self.data.getlist("releases"):
            # The watch box's pressing list starts with an empty choice: "none picked".
            self.data = self.data.copy()
            self.data.setlist("releases", [value for value in self.data.getlist("releases") if value])

    def clean(self):
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            self.add_error("year_to", _("The year range ends before it starts."))
        self.settle_target(data)
        return data

    def settle_target(self, data):
        """Any pressing by default; one pressing picked with any target means that pressing
        (the album page's box picks it so); "one pressing" needs exactly one picked."""
        target, picked = data.get("pressing_target") or Watch.Pressings.ANY, list(data.get("releases") or [])
        if target == Watch.Pressings.ANY and len(picked) == 1:
            target = Watch.Pressings.ONE
        if target == Watch.Pressings.ONE and len(picked) != 1:
            self.add_error("releases", _("Pick the one pressing to watch."))
        data["pressing_target"] = target


class AlertSettingsForm(forms.ModelForm):
    class Meta:
        model = AlertSettings
        fields = ["email", "follow_top_artists"]
        labels = {"email": _("Email me"), "follow_top_artists": _("Follow my strongest artists (how many)")}


class NtfyChannelForm(forms.Form):
    """An ntfy topic URL: ntfy.sh's or a self-hosted server's; alerts.channels checks where it points."""

    endpoint = forms.URLField(
        label=_("ntfy topic address"),
        max_length=InstantChannel._meta.get_field("endpoint").max_length,
        assume_scheme="https",
        help_text=_("For example https://ntfy.sh/a-long-secret-topic-name: anyone who knows the topic can read it."),
    )
    name = forms.CharField(
        label=_("Name (optional)"), max_length=100, required=False, help_text=_("Which phone or app, in your words")
    )
