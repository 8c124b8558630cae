"""Fixtures shared by the accounts view tests."""
import pytest

from accounts.factories import UserFactory


@pytest.fixture
def listener(client):
    """A signed-in listener (modules that need a different listener define their own)."""
    user = UserFactory(username="ana")
    client.force_login(user)
    return user
