"""Signals of the accounts app.

`taste_changed` is how accounts tells the apps to its right (recommendations) that a
listener's inputs changed (a sync brought new listening, a seed was added, the profile was
saved) without importing them: imports run one way (ARCHITECTURE.md).
"""
from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from .models import Profile

# Sent with `user=` after a listener's listening, seeds, collection or options changed.
taste_changed = Signal()
# Sent with `user=` once the catalog chain a listener's new taste asked for is done.
catalog_ready = Signal()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created, **kwargs):
    """Every user has a profile, so views never have to check."""
    if created:
        Profile.objects.get_or_create(user=instance)
