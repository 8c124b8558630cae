"""A listener's opt-out of price sources is a list of source names (Profile.excluded_sources),
not one column per source: a listener who left eBay out keeps it out."""
from django.db import migrations, models


def ebay_switch_to_list(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    Profile.objects.filter(include_ebay=False).update(excluded_sources=["ebay"])


def list_to_ebay_switch(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    left_out = [pk for pk, names in Profile.objects.values_list("pk", "excluded_sources") if "ebay" in (names or [])]
    Profile.objects.filter(pk__in=left_out).update(include_ebay=False)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0012_profile_seller_filters"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="excluded_sources",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(ebay_switch_to_list, list_to_ebay_switch),
        migrations.RemoveField(
            model_name="profile",
            name="include_ebay",
        ),
    ]
