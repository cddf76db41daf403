"""Authenticator secrets stored encrypted (renaksi.accounts.totp_keys): the clear ``secret``
column is encrypted into ``secret_ciphertext`` and dropped. Reversible (decrypts back)."""

from django.db import migrations, models


def encrypt_secrets(apps, schema_editor):
    from renaksi.accounts import totp_keys

    TotpDevice = apps.get_model("accounts", "TotpDevice")
    devices = list(TotpDevice.objects.all())
    for device in devices:
        device.secret_ciphertext = totp_keys.encrypt(device.secret)
    TotpDevice.objects.bulk_update(devices, ["secret_ciphertext"], batch_size=500)


def decrypt_secrets(apps, schema_editor):
    from renaksi.accounts import totp_keys

    TotpDevice = apps.get_model("accounts", "TotpDevice")
    devices = list(TotpDevice.objects.all())
    for device in devices:
        device.secret = totp_keys.decrypt(device.secret_ciphertext)
    TotpDevice.objects.bulk_update(devices, ["secret"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_login_security")]

    operations = [
        migrations.AddField(
            model_name="totpdevice", name="secret_ciphertext", field=models.TextField(default="")
        ),
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
        migrations.RemoveField(model_name="totpdevice", name="secret"),
        migrations.AlterField(model_name="totpdevice", name="secret_ciphertext", field=models.TextField()),
    ]
