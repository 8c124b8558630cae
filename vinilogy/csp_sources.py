"""The Content-Security-Policy hosts the registered price and listening sources need.

Settings cannot import the registries (they load models), so a directive of
CONTENT_SECURITY_POLICY is a `RegistryHosts`: its fixed hosts plus every source's `csp_hosts`
for that directive, read each time django-csp builds the policy (after the apps are ready).
A new source declares its hosts on its class; settings stay as they are.
"""


def registry_hosts(directive):
    """Hosts the registered sources ask `directive` to allow, registry order, no repeats."""
    from accounts import sources as listening_sources
    from pricing import sources as price_sources

    registered = [*price_sources.registered(), *listening_sources.registered()]
    hosts = [host for source in registered for host in getattr(source, "csp_hosts", {}).get(directive, ())]
    return list(dict.fromkeys(hosts))


class RegistryHosts(list):
    """A directive's value: `fixed` and the registry's hosts for `directive`, computed when read."""

    def __init__(self, directive, fixed=()):
        super().__init__()
        self.directive, self.fixed = directive, list(fixed)

    def _items(self):
        return list(dict.fromkeys([*self.fixed, *registry_hosts(self.directive)]))

    def __iter__(self):
        return iter(self._items())

    def __len__(self):
        return len(self._items())

    def __contains__(self, value):
        return value in self._items()

    def __getitem__(self, index):
        return self._items()[index]

    def __copy__(self):
        return self._items()

    def __repr__(self):
        return f"RegistryHosts({self.directive!r}, {self.fixed!r})"
