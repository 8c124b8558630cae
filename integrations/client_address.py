"""The client's address, for every throttle and rate limit on the site.

One rule, allauth's: with `settings.TRUSTED_PROXY_COUNT` = N > 0 (our proxies in front of the
web process), the address is the N-th entry from the right of `X-Forwarded-For`, the one the
outermost of our proxies appended (entries to its left were written by the client and can be
forged); with N = 0 the header is ignored and `REMOTE_ADDR` is the client. settings.py sets
allauth's ALLAUTH_TRUSTED_PROXY_COUNT from ours, so allauth's login throttle and ours count
the same client. An IPv6 address is counted as its /64 network
(ALLAUTH_RATE_LIMIT_IPV6_PREFIX), as allauth's throttles count it: rotating addresses inside
one allocation gains nothing.
"""

import ipaddress

from allauth import app_settings as allauth_settings
from allauth.account.adapter import get_adapter


def client_address(request) -> str:
    """The address the request's client is counted under (PermissionDenied if it has none)."""
    address = get_adapter(request).get_client_ip(request)
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{allauth_settings.RATE_LIMIT_IPV6_PREFIX}", strict=False).network_address)
    return address
