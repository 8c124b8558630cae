"""Signals of the accounts app.

`taste_changed` is how accounts tells the apps to its right (recommendations) that a
listener's inputs changed (a sync brought new listening, a seed was added, the profile was
saved) without importing them: imports run one way (docs/ARCHITECTURE.md).
"""

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save, pre_save
from django.dispatch import Signal, receiver

from . import encryption
from .models import CollectionImport, Profile

# Sent with `user=` after a listener's listening, seeds, collection or options changed.
taste_changed = Signal()
# Sent with `user=` once the catalog chain a listener's new taste asked for is done.
catalog_ready = Signal()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created, **kwargs):
    """Every user has a profile, so views never have to check."""
    if created:
        Profile.objects.get_or_create(user=instance)


# --- tokens and secrets encrypted at rest (accounts.encryption) ------------------------------


def _encrypt_before_save(sender, instance, **kwargs):
    for name in encryption.ENCRYPTED_FIELDS[sender._meta.label]:
        setattr(instance, name, encryption.encrypt(getattr(instance, name)))


def _plain_in_memory(sender, instance, **kwargs):
    """After a load or a save, the instance holds plain values: only the table holds ciphertext."""
    for name in encryption.ENCRYPTED_FIELDS[sender._meta.label]:
        if name in instance.__dict__:  # a deferred field stays deferred
            setattr(instance, name, encryption.decrypt(getattr(instance, name)))


def connect_encrypted_fields():
    for label in encryption.ENCRYPTED_FIELDS:
        model = apps.get_model(label)
        pre_save.connect(_encrypt_before_save, sender=model, dispatch_uid=f"encrypt-{label}")
        post_save.connect(_plain_in_memory, sender=model, dispatch_uid=f"plain-after-save-{label}")
        post_init.connect(_plain_in_memory, sender=model, dispatch_uid=f"plain-after-load-{label}")


@receiver(post_delete, sender=CollectionImport)
def _delete_uploaded_file(sender, instance, **kwargs):
    """A listener's uploaded collection file goes with its job (and with the listener's account)."""
    if instance.upload:
        name, storage = instance.upload.name, instance.upload.storage
        transaction.on_commit(lambda: storage.delete(name))
