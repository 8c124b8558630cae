"""A listener's usernames live in one place, SourceUsername, for every source connected by
username: the Last.fm, ListenBrainz and Discogs columns of Profile move there and go."""
from django.db import migrations

COLUMNS = {"lastfm": "lastfm_username", "listenbrainz": "listenbrainz_username", "discogs": "discogs_username"}


def columns_to_rows(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    SourceUsername = apps.get_model("accounts", "SourceUsername")
    for source, column in COLUMNS.items():
        for user_id, username in Profile.objects.exclude(**{column: ""}).values_list("user_id", column):
            SourceUsername.objects.update_or_create(user_id=user_id, source=source, defaults={"username": username})


def rows_to_columns(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    SourceUsername = apps.get_model("accounts", "SourceUsername")
    for row in SourceUsername.objects.filter(source__in=COLUMNS):
        Profile.objects.filter(user_id=row.user_id).update(**{COLUMNS[row.source]: row.username})
    SourceUsername.objects.filter(source__in=COLUMNS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0013_excluded_price_sources"),
    ]

    operations = [
        migrations.RunPython(columns_to_rows, rows_to_columns),
        migrations.RemoveField(model_name="profile", name="discogs_username"),
        migrations.RemoveField(model_name="profile", name="lastfm_username"),
        migrations.RemoveField(model_name="profile", name="listenbrainz_username"),
    ]
