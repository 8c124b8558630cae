"""What recommendations does when the apps to its left say something changed."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import CollectionItem
from accounts.signals import catalog_ready, taste_changed
from catalog.signals import pressings_added
from pricing.signals import best_prices_changed

from . import shown
from .models import Feedback
from .services import refresh_if_stale, request_generation


@receiver(taste_changed, dispatch_uid="recommendations.regenerate_if_stale")
def regenerate_if_stale(sender, user, **kwargs):
    """A listener's inputs changed: regenerate the set they already have, if it is now stale."""
    refresh_if_stale(user)


@receiver(catalog_ready, dispatch_uid="recommendations.regenerate_from_new_catalog")
def regenerate_from_new_catalog(sender, user, **kwargs):
    """The catalog chain the listener's taste asked for is done: new albums may now qualify."""
    request_generation(user, force=True)


# --- what a cached grid shows (recommendations.shown) -------------------------------------------

SHOWN_FEEDBACK = {Feedback.Kind.LOCK, Feedback.Kind.WANTLIST}  # a dismissal is shown by the set's items


@receiver(post_save, sender=Feedback, dispatch_uid="recommendations.shown.feedback_saved")
@receiver(post_delete, sender=Feedback, dispatch_uid="recommendations.shown.feedback_deleted")
def feedback_changed(sender, instance, **kwargs):
    if instance.kind in SHOWN_FEEDBACK:
        shown.listeners_changed([instance.user_id])


@receiver(post_save, sender=CollectionItem, dispatch_uid="recommendations.shown.collection_saved")
@receiver(post_delete, sender=CollectionItem, dispatch_uid="recommendations.shown.collection_deleted")
def discogs_wantlist_changed(sender, instance, **kwargs):
    if instance.folder == CollectionItem.Folder.WANTLIST:
        shown.listeners_changed([instance.user_id])


@receiver(best_prices_changed, dispatch_uid="recommendations.shown.prices")
def prices_changed(sender, album_ids, **kwargs):
    shown.albums_changed(album_ids)


@receiver(pressings_added, dispatch_uid="recommendations.shown.pressings")
def pressings_changed(sender, album_id, **kwargs):
    shown.albums_changed([album_id])
