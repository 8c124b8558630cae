"""What recommendations does when the apps to its left say something changed."""
from django.dispatch import receiver

from accounts.signals import catalog_ready, taste_changed

from .services import refresh_if_stale, request_generation


@receiver(taste_changed, dispatch_uid="recommendations.regenerate_if_stale")
def regenerate_if_stale(sender, user, **kwargs):
    """A listener's inputs changed: regenerate the set they already have, if it is now stale."""
    refresh_if_stale(user)


@receiver(catalog_ready, dispatch_uid="recommendations.regenerate_from_new_catalog")
def regenerate_from_new_catalog(sender, user, **kwargs):
    """The catalog chain the listener's taste asked for is done: new albums may now qualify."""
    request_generation(user, force=True)
