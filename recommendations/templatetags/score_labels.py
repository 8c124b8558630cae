from django import template
from django.utils.text import capfirst

from recommendations.scoring import COMPONENT_LABELS

register = template.Library()


@register.filter
def component_label(name):
    """A score component's name in the reader's language; an unknown one as it is stored, capitalised."""
    return COMPONENT_LABELS.get(name) or capfirst(name)
