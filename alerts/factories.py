"""factory-boy factories for alert rows."""

from decimal import Decimal

import factory

from accounts.factories import UserFactory
from catalog.factories import AlbumFactory

from .models import Notification, Watch


class WatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Watch
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    album = factory.SubFactory(AlbumFactory)
    max_total_eur = Decimal("30.00")


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    album = factory.SubFactory(AlbumFactory)
    kind = Notification.Kind.PRESSING
    message = factory.Sequence(lambda n: f"A pressing appeared ({n}).")
    delivery = Notification.Delivery.NONE
