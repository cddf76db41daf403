"""Failed logins counted per account *from one address* and per address (renaksi.accounts.throttle),
no longer per user name everywhere: the rows of the old kind are dropped (they expire within
15 minutes anyway)."""

from django.db import migrations, models


def drop_username_rows(apps, schema_editor):
    LoginFailure = apps.get_model("accounts", "LoginFailure")
    LoginFailure.objects.filter(kind="username").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_totp_secret_encrypted")]

    operations = [
        migrations.RunPython(drop_username_rows, migrations.RunPython.noop),
        migrations.AddField(
            model_name="loginfailure",
            name="account",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AlterField(
            model_name="loginfailure",
            name="kind",
            field=models.CharField(
                choices=[("account", "akun dari satu alamat"), ("ip", "alamat IP")], max_length=8
            ),
        ),
        migrations.AddIndex(
            model_name="loginfailure",
            index=models.Index(fields=["account", "key", "at"], name="login_failure_account"),
        ),
    ]
