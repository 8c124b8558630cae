"""What recommendations does when the apps to its left say something changed."""
from django.dispatch import receiver

from accounts.signals import taste_changed

from .services import refresh_if_stale


@receiver(taste_changed, dispatch_uid="recommendations.regenerate_if_stale")
def regenerate_if_stale(sender, user, **kwargs):
    """A listener's inputs changed: regenerate the set they already have, if it is now stale."""
    refresh_if_stale(user)
